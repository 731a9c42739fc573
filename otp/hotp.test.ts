import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeBase32Secret, encodeBase32Secret, generateHotp, verifyHotp } from "./hotp.ts";

// RFC 4226 Appendix D: the ASCII secret "12345678901234567890", counters 0 to 9.
const RFC_SECRET = new TextEncoder().encode("12345678901234567890");
const RFC_SECRET_BASE32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const RFC_CODES = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

/** `oathtool --hotp <hex> -c <first> -w <count - 1>` (Debian package oath-toolkit): one code per line. */
function oathtoolCodes(secret: Uint8Array, first: number, count: number, digits = 6): string[] {
  const hex = Buffer.from(secret).toString("hex");
  const args = ["--hotp", hex, "-d", String(digits), "-c", String(first), "-w", String(count - 1)];
  try {
    return execFileSync("oathtool", args, { encoding: "utf8" }).trim().split("\n");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error("oathtool is not installed: these tests compare against it. Install it with `apt-get install -y oathtool` (from oath-toolkit).");
    }
    throw error;
  }
}

describe("generateHotp", () => {
  it("gives RFC 4226 Appendix D's values for counters 0 to 9, from the bytes or their base32", () => {
    expect(RFC_CODES.map((_, counter) => generateHotp(RFC_SECRET, counter))).toEqual(RFC_CODES);
    expect(RFC_CODES.map((_, counter) => generateHotp(RFC_SECRET_BASE32, counter))).toEqual(RFC_CODES);
  });

  it("agrees with oathtool for the RFC secret and a random 160-bit one, including counters past 32 bits", () => {
    const random = randomBytes(20);
    for (const secret of [RFC_SECRET, random]) {
      const low = oathtoolCodes(secret, 0, 21);
      expect(low.map((_, counter) => generateHotp(secret, counter))).toEqual(low);
      const high = oathtoolCodes(secret, 2 ** 32 + 5, 3);
      expect(high.map((_, index) => generateHotp(secret, 2 ** 32 + 5 + index))).toEqual(high);
    }
  });

  it("makes 7- and 8-digit codes when asked, as oathtool does", () => {
    expect(generateHotp(RFC_SECRET, 0, { digits: 8 })).toBe(oathtoolCodes(RFC_SECRET, 0, 1, 8)[0]);
    expect(generateHotp(RFC_SECRET, 3, { digits: 7 })).toBe(oathtoolCodes(RFC_SECRET, 3, 1, 7)[0]);
  });

  it("throws a TypeError on a negative, fractional or unsafe counter", () => {
    for (const counter of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => generateHotp(RFC_SECRET, counter), String(counter)).toThrow(TypeError);
  });

  it("throws a TypeError on a secret under 128 bits, unreadable base32, or digits outside 6 to 8", () => {
    expect(() => generateHotp(new Uint8Array(15), 0)).toThrow(TypeError);
    expect(() => generateHotp("GEZDGNBVGY3TQOJQ", 0)).toThrow(TypeError);
    expect(() => generateHotp("not base32 at all!", 0)).toThrow(TypeError);
    for (const digits of [5, 9, 6.5]) expect(() => generateHotp(RFC_SECRET, 0, { digits }), String(digits)).toThrow(TypeError);
  });

  it("never puts the secret in its error messages", () => {
    const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJ!";
    expect(() => generateHotp(secret, 0)).toThrow(expect.objectContaining({ message: expect.not.stringContaining("GEZDGNBV") }));
  });
});

describe("verifyHotp", () => {
  it("accepts the code at exactly its counter", () => {
    expect(verifyHotp(RFC_SECRET, 0, "755224")).toBe(true);
    expect(verifyHotp(RFC_SECRET_BASE32, 9, "520489")).toBe(true);
  });

  it("refuses the code of a neighbouring counter, or of another secret", () => {
    expect(verifyHotp(RFC_SECRET, 1, "755224")).toBe(false);
    expect(verifyHotp(randomBytes(20), 0, "755224")).toBe(false);
  });

  it("answers false, without throwing, to a code of the wrong shape", () => {
    const garbage: unknown[] = ["", "75522", "7552240", " 755224", "７５５２２４", null, undefined, 755224, {}, ["755224"]];
    for (const code of garbage) expect(verifyHotp(RFC_SECRET, 0, code), JSON.stringify(code)).toBe(false);
  });
});

describe("base32 secrets", () => {
  it("encode and decode as device:bind hands them out: upper case, no padding", () => {
    expect(encodeBase32Secret(RFC_SECRET)).toBe(RFC_SECRET_BASE32);
    expect(decodeBase32Secret(RFC_SECRET_BASE32)).toEqual(RFC_SECRET);
    const random = randomBytes(20);
    expect(decodeBase32Secret(encodeBase32Secret(random))).toEqual(new Uint8Array(random));
  });
});
