import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openSecret, sealSecret } from "./secret-box.ts";

const key = randomBytes(32);
const secret = new Uint8Array(randomBytes(20));
const DEVICE = "device:5f0c4b2e";

/** Flips one bit inside part `index` (1 iv, 2 tag, 3 ciphertext) and re-encodes it canonically. */
function flipBit(sealed: string, index: number): string {
  const parts = sealed.split(".");
  const bytes = Buffer.from(parts[index]!, "base64url");
  bytes[0] = bytes[0]! ^ 0x01;
  parts[index] = bytes.toString("base64url");
  return parts.join(".");
}

describe("sealSecret and openSecret", () => {
  it("round-trip a secret", () => {
    const sealed = sealSecret(key, secret, DEVICE);
    expect(openSecret(key, sealed, DEVICE)).toEqual(secret);
  });

  it("write v1.<iv>.<tag>.<ciphertext> in base64url, with a 12-byte IV and a 16-byte tag", () => {
    const sealed = sealSecret(key, secret, DEVICE);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    const [, iv, tag, ciphertext] = sealed.split(".");
    expect(Buffer.from(iv!, "base64url")).toHaveLength(12);
    expect(Buffer.from(tag!, "base64url")).toHaveLength(16);
    expect(Buffer.from(ciphertext!, "base64url")).toHaveLength(20);
    expect(sealed).not.toContain(Buffer.from(secret).toString("base64url"));
  });

  it("use a fresh IV each time, so the same secret never seals to the same text", () => {
    const sealings = new Set(Array.from({ length: 50 }, () => sealSecret(key, secret, DEVICE)));
    expect(sealings.size).toBe(50);
  });

  it("refuse to open when the IV, tag or ciphertext was altered", () => {
    const sealed = sealSecret(key, secret, DEVICE);
    for (const part of [1, 2, 3]) expect(() => openSecret(key, flipBit(sealed, part), DEVICE), `part ${part}`).toThrow(/does not open/);
  });

  it("refuse to open with another key or other associated data", () => {
    const sealed = sealSecret(key, secret, DEVICE);
    expect(() => openSecret(randomBytes(32), sealed, DEVICE)).toThrow(/does not open/);
    expect(() => openSecret(key, sealed, "device:another")).toThrow(/does not open/);
  });

  it("refuse a truncated tag, a wrong version and malformed text", () => {
    const sealed = sealSecret(key, secret, DEVICE);
    const [, iv, tag, ciphertext] = sealed.split(".");
    const shortTag = Buffer.from(tag!, "base64url").subarray(0, 12).toString("base64url");
    expect(() => openSecret(key, `v1.${iv}.${shortTag}.${ciphertext}`, DEVICE)).toThrow(/tag length/);
    expect(() => openSecret(key, `v2.${iv}.${tag}.${ciphertext}`, DEVICE)).toThrow(/format/);
    for (const bad of ["", "v1", `v1.${iv}.${tag}`, `${sealed}.extra`, `v1.${iv}.${tag}.${ciphertext}=`, `v1.${iv}.${tag}.${ciphertext}!`]) {
      expect(() => openSecret(key, bad, DEVICE), bad).toThrow();
    }
  });

  it("throw a TypeError for a key that is not 32 bytes", () => {
    expect(() => sealSecret(randomBytes(16), secret, DEVICE)).toThrow(TypeError);
    expect(() => openSecret(randomBytes(31), sealSecret(key, secret, DEVICE), DEVICE)).toThrow(TypeError);
  });
});
