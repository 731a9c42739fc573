import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeOtpSecret, encodeOtpSecret, generateOtpAtCounter, generateTotp, totpSecondsLeft, totpTimeStep, verifyTotp, type OtpAlgorithm } from "./totp.ts";

// RFC 6238 Appendix B: one ASCII seed per hash, 8 digits, 30-second steps, T0 = 0.
const SEEDS: Record<OtpAlgorithm, Uint8Array> = {
  sha1: new TextEncoder().encode("12345678901234567890"),
  sha256: new TextEncoder().encode("12345678901234567890123456789012"),
  sha512: new TextEncoder().encode("1234567890123456789012345678901234567890123456789012345678901234"),
};
const APPENDIX_B: Array<[seconds: number, codes: Record<OtpAlgorithm, string>]> = [
  [59, { sha1: "94287082", sha256: "46119246", sha512: "90693936" }],
  [1111111109, { sha1: "07081804", sha256: "68084774", sha512: "25091201" }],
  [1111111111, { sha1: "14050471", sha256: "67062674", sha512: "99943326" }],
  [1234567890, { sha1: "89005924", sha256: "91819424", sha512: "93441116" }],
  [2000000000, { sha1: "69279037", sha256: "90698825", sha512: "38618901" }],
  [20000000000, { sha1: "65353130", sha256: "77737706", sha512: "47863826" }],
];
const ALGORITHMS: OtpAlgorithm[] = ["sha1", "sha256", "sha512"];
const NOW_MS = 1_765_000_000_000;

/** `oathtool --totp=<hash>` (Debian package oathtool) at a given time. */
function oathtoolTotp(secret: Uint8Array, algorithm: OtpAlgorithm, seconds: number, digits = 6): string {
  const args = [`--totp=${algorithm.toUpperCase()}`, "-d", String(digits), "-N", `@${seconds}`, Buffer.from(secret).toString("hex")];
  return execFileSync("oathtool", args, { encoding: "utf8" }).trim();
}

describe("generateTotp", () => {
  it("gives every RFC 6238 Appendix B value, for SHA-1, SHA-256 and SHA-512", () => {
    for (const [seconds, codes] of APPENDIX_B) {
      for (const algorithm of ALGORITHMS) {
        expect(generateTotp(SEEDS[algorithm], seconds * 1000, { algorithm, digits: 8 }), `${algorithm} at ${seconds}`).toBe(codes[algorithm]);
      }
    }
  });

  it("agrees with oathtool --totp for a random secret with each hash and a custom period", () => {
    const secret = randomBytes(20);
    for (const algorithm of ALGORITHMS) {
      expect(generateTotp(secret, NOW_MS, { algorithm })).toBe(oathtoolTotp(secret, algorithm, NOW_MS / 1000));
    }
    const sixty = execFileSync("oathtool", ["--totp", "-s", "60", "-N", `@${NOW_MS / 1000}`, secret.toString("hex")], { encoding: "utf8" }).trim();
    expect(generateTotp(secret, NOW_MS, { period: 60 })).toBe(sixty);
  });

  it("reads the secret from base32 as well as bytes, with spaces, padding and lower case tolerated", () => {
    const secret = randomBytes(10);
    const text = encodeOtpSecret(secret);
    const spaced = text.toLowerCase().replace(/(.{4})/g, "$1 ") + "======";
    expect(generateTotp(spaced, NOW_MS)).toBe(generateTotp(secret, NOW_MS));
    expect(decodeOtpSecret(spaced)).toEqual(new Uint8Array(secret));
  });

  it("throws a TypeError on misuse: short or unreadable secrets, bad digits, periods, hashes or times", () => {
    expect(() => generateTotp(new Uint8Array(9), NOW_MS)).toThrow(TypeError);
    expect(() => generateTotp("not base32 at all!", NOW_MS)).toThrow(TypeError);
    expect(() => generateTotp(SEEDS.sha1, NOW_MS, { digits: 9 })).toThrow(TypeError);
    expect(() => generateTotp(SEEDS.sha1, NOW_MS, { period: 0 })).toThrow(TypeError);
    expect(() => generateTotp(SEEDS.sha1, NOW_MS, { algorithm: "md5" as OtpAlgorithm })).toThrow(TypeError);
    expect(() => generateTotp(SEEDS.sha1, -1)).toThrow(TypeError);
    expect(() => generateOtpAtCounter(SEEDS.sha1, -1)).toThrow(TypeError);
  });

  it("never quotes the secret in an error", () => {
    expect(() => decodeOtpSecret("GEZDGNBVGY3TQOJ!")).toThrow(expect.objectContaining({ message: expect.not.stringContaining("GEZDGNBV") }));
  });
});

describe("time steps", () => {
  it("counts 30-second steps from the Unix epoch and the seconds left in the current one", () => {
    expect(totpTimeStep(59_000)).toBe(1);
    expect(totpTimeStep(60_000)).toBe(2);
    expect(totpSecondsLeft(59_000)).toBe(1);
    expect(totpSecondsLeft(60_000)).toBe(30);
    expect(totpSecondsLeft(60_001)).toBe(30);
    expect(totpSecondsLeft(89_999)).toBe(1);
  });
});

describe("verifyTotp", () => {
  const secret = randomBytes(20);
  const step = totpTimeStep(NOW_MS);
  const codeAt = (offsetSteps: number) => generateOtpAtCounter(secret, step + offsetSteps);

  it("accepts the current code and names its step", () => {
    expect(verifyTotp(secret, codeAt(0), { nowMs: NOW_MS })).toEqual({ ok: true, step });
  });

  it("accepts one step of skew each way and says which step matched", () => {
    expect(verifyTotp(secret, codeAt(-1), { nowMs: NOW_MS })).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, codeAt(1), { nowMs: NOW_MS })).toEqual({ ok: true, step: step + 1 });
  });

  it("refuses a code two steps away, or any skew when asked for none", () => {
    expect(verifyTotp(secret, codeAt(-2), { nowMs: NOW_MS })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyTotp(secret, codeAt(2), { nowMs: NOW_MS })).toEqual({ ok: false, reason: "mismatch" });
    expect(verifyTotp(secret, codeAt(1), { nowMs: NOW_MS, skewSteps: 0 })).toEqual({ ok: false, reason: "mismatch" });
  });

  it("refuses as a replay a matching code whose step is not after the last used one", () => {
    expect(verifyTotp(secret, codeAt(0), { nowMs: NOW_MS, afterStep: step })).toEqual({ ok: false, reason: "replayed" });
    expect(verifyTotp(secret, codeAt(-1), { nowMs: NOW_MS, afterStep: step })).toEqual({ ok: false, reason: "replayed" });
    expect(verifyTotp(secret, codeAt(1), { nowMs: NOW_MS, afterStep: step })).toEqual({ ok: true, step: step + 1 });
  });

  it("verifies with the hash, digits and period it is given", () => {
    const code = generateTotp(SEEDS.sha512, NOW_MS, { algorithm: "sha512", digits: 8, period: 60 });
    expect(verifyTotp(SEEDS.sha512, code, { nowMs: NOW_MS, algorithm: "sha512", digits: 8, period: 60 })).toEqual({ ok: true, step: totpTimeStep(NOW_MS, 60) });
    expect(verifyTotp(SEEDS.sha512, code, { nowMs: NOW_MS, digits: 8, period: 60 }).ok).toBe(false);
  });

  it("answers a mismatch, without throwing, to a code of the wrong shape", () => {
    const garbage: unknown[] = ["", codeAt(0).slice(1), `${codeAt(0)}0`, ` ${codeAt(0)}`, null, undefined, Number(codeAt(0)), {}, [codeAt(0)]];
    for (const code of garbage) expect(verifyTotp(secret, code, { nowMs: NOW_MS }), JSON.stringify(code)).toEqual({ ok: false, reason: "mismatch" });
  });

  it("throws a TypeError on a skew outside 0 to 10 steps or a fractional last step", () => {
    expect(() => verifyTotp(secret, codeAt(0), { nowMs: NOW_MS, skewSteps: 11 })).toThrow(TypeError);
    expect(() => verifyTotp(secret, codeAt(0), { nowMs: NOW_MS, skewSteps: -1 })).toThrow(TypeError);
    expect(() => verifyTotp(secret, codeAt(0), { nowMs: NOW_MS, afterStep: 1.5 })).toThrow(TypeError);
  });
});
