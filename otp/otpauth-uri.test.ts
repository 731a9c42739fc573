import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { formatOtpauthUri, parseOtpauthUri, type OtpauthAccount } from "./otpauth-uri.ts";
import { encodeOtpSecret } from "./totp.ts";

const secret = new Uint8Array(randomBytes(20));
const base32 = encodeOtpSecret(secret);
const totp: OtpauthAccount = { type: "totp", issuer: "PairGate", account: "alice", secret, algorithm: "sha1", digits: 6, period: 30, counter: 0 };
const hotp: OtpauthAccount = { ...totp, type: "hotp", counter: 42 };

function parsed(uri: string): OtpauthAccount {
  const result = parseOtpauthUri(uri);
  if (!result.ok) throw new Error(`expected ${uri} to parse: ${result.message}`);
  return result.account;
}

function refusal(uri: string): string {
  const result = parseOtpauthUri(uri);
  if (result.ok) throw new Error(`expected ${uri} to be refused`);
  return result.error;
}

describe("formatOtpauthUri", () => {
  it("writes the Key Uri Format with the issuer in the label and as a parameter", () => {
    expect(formatOtpauthUri(totp)).toBe(`otpauth://totp/PairGate:alice?secret=${base32}&issuer=PairGate&algorithm=SHA1&digits=6&period=30`);
    expect(formatOtpauthUri(hotp)).toBe(`otpauth://hotp/PairGate:alice?secret=${base32}&issuer=PairGate&algorithm=SHA1&digits=6&counter=42`);
  });

  it("percent-encodes spaces and reserved characters in the label and the issuer", () => {
    const uri = formatOtpauthUri({ ...totp, issuer: "ACME Co & Sons", account: "john@example.com" });
    expect(uri.startsWith("otpauth://totp/ACME%20Co%20%26%20Sons:john%40example.com?")).toBe(true);
    expect(uri).toContain("&issuer=ACME%20Co%20%26%20Sons&");
  });

  it("throws a TypeError on an issuer with a colon, an empty account, or an unknown type", () => {
    expect(() => formatOtpauthUri({ ...totp, issuer: "Pair:Gate" })).toThrow(TypeError);
    expect(() => formatOtpauthUri({ ...totp, account: " " })).toThrow(TypeError);
    expect(() => formatOtpauthUri({ ...totp, type: "motp" as "totp" })).toThrow(TypeError);
  });
});

describe("parseOtpauthUri", () => {
  it("reads back what formatOtpauthUri wrote, for TOTP and HOTP, every hash and odd names", () => {
    for (const account of [totp, hotp, { ...totp, algorithm: "sha256" as const, digits: 8, period: 60 }, { ...hotp, algorithm: "sha512" as const, digits: 7 }]) {
      expect(parsed(formatOtpauthUri(account))).toEqual(account);
    }
    const odd = { ...totp, issuer: "ACME Co & Sons", account: "jöhn+tag@example.com: ops" };
    expect(parsed(formatOtpauthUri(odd))).toEqual({ ...odd, account: "jöhn+tag@example.com: ops" });
    expect(parsed(formatOtpauthUri({ ...totp, issuer: null }))).toEqual({ ...totp, issuer: null });
  });

  it("fills in the format's defaults: SHA-1, 6 digits, 30 seconds", () => {
    expect(parsed(`otpauth://totp/alice@example.com?secret=${base32}`)).toEqual({ ...totp, issuer: null, account: "alice@example.com" });
  });

  it("reads the Key Uri Format's own example, with %3A, a space after the colon and lower-case base32", () => {
    const account = parsed("otpauth://totp/ACME%20Co:%20john.doe@email.com?secret=hxdmvjecjjwsrb3hwizr4ifugftmxboz&issuer=ACME%20Co&algorithm=SHA1&digits=6&period=30");
    expect(account).toMatchObject({ type: "totp", issuer: "ACME Co", account: "john.doe@email.com", digits: 6, period: 30 });
    expect(encodeOtpSecret(account.secret)).toBe("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ");
    expect(parsed(`otpauth://totp/Example%3Aalice?secret=${base32}`)).toMatchObject({ issuer: "Example", account: "alice" });
  });

  it("takes the issuer parameter when the label has none", () => {
    expect(parsed(`otpauth://totp/alice?secret=${base32}&issuer=GitHub`)).toMatchObject({ issuer: "GitHub", account: "alice" });
  });

  it("refuses what is not an otpauth URI", () => {
    for (const text of ["", "hello", `https://totp/alice?secret=${base32}`, "x".repeat(3000)]) expect(refusal(text), text.slice(0, 40)).toBe("not_otpauth");
  });

  it("refuses an unknown type, a missing account and a label that is not valid percent-encoding", () => {
    expect(refusal(`otpauth://motp/alice?secret=${base32}`)).toBe("bad_type");
    expect(refusal("otpauth:totp")).toBe("bad_type");
    expect(refusal(`otpauth://totp/?secret=${base32}`)).toBe("bad_label");
    expect(refusal(`otpauth://totp/Issuer:?secret=${base32}`)).toBe("bad_label");
    expect(refusal(`otpauth://totp/%E0%A4%A?secret=${base32}`)).toBe("bad_label");
  });

  it("refuses a missing, non-base32 or too short secret without quoting it", () => {
    expect(refusal("otpauth://totp/alice")).toBe("bad_secret");
    expect(refusal("otpauth://totp/alice?secret=NOT-BASE32!1")).toBe("bad_secret");
    const short = parseOtpauthUri("otpauth://totp/alice?secret=GEZDGNBVGY3TQOI");
    expect(short).toMatchObject({ ok: false, error: "bad_secret" });
    expect(JSON.stringify(short)).not.toContain("GEZDGNBV");
  });

  it("refuses bad parameters, each with its own error", () => {
    expect(refusal(`otpauth://totp/alice?secret=${base32}&algorithm=MD5`)).toBe("bad_algorithm");
    for (const digits of ["5", "9", "six", "6.0", "-6"]) expect(refusal(`otpauth://totp/alice?secret=${base32}&digits=${digits}`), digits).toBe("bad_digits");
    for (const period of ["0", "3601", "30s", ""]) expect(refusal(`otpauth://totp/alice?secret=${base32}&period=${period}`), period).toBe("bad_period");
    expect(refusal(`otpauth://hotp/alice?secret=${base32}`)).toBe("bad_counter");
    expect(refusal(`otpauth://hotp/alice?secret=${base32}&counter=-1`)).toBe("bad_counter");
    expect(refusal(`otpauth://totp/ACME:alice?secret=${base32}&issuer=Evil`)).toBe("issuer_mismatch");
    expect(refusal(`otpauth://totp/alice?secret=${base32}&secret=${base32}`)).toBe("duplicate_parameter");
  });

  it("gives every refusal a message a person can act on", () => {
    const result = parseOtpauthUri(`otpauth://totp/alice?secret=${base32}&digits=9`);
    expect(result).toEqual({ ok: false, error: "bad_digits", message: "The URI's digits must be 6, 7 or 8" });
  });
});
