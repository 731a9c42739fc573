import { describe, expect, it } from "vitest";
import { deriveNewSealKey, deriveSealKey, readEnvelope, SCRYPT_DEFAULTS, seal, unseal } from "./sealed-data.ts";

// Tests derive with the smallest cost a file may name, to stay quick; the default is checked on its own.
const QUICK = { N: 2 ** 14, r: 8, p: 1 };
const PLAINTEXT = '{"version":1,"accounts":[{"secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}]}\n';

function sealedEnvelope(text: string) {
  const read = readEnvelope(text);
  if (read.kind !== "sealed") throw new Error(`expected a sealed envelope, got ${read.kind}`);
  return read.envelope;
}

describe("the passphrase seal", () => {
  it("opens with the same passphrase and holds nothing of the plaintext in clear", async () => {
    const key = await deriveNewSealKey("correct horse battery", QUICK);
    const text = seal(PLAINTEXT, key);
    expect(text).not.toContain("GEZDGNBV");
    expect(text).not.toContain("accounts");
    const envelope = sealedEnvelope(text);
    expect(unseal(envelope, await deriveSealKey("correct horse battery", envelope.kdf))).toBe(PLAINTEXT);
  });

  it("does not open with another passphrase", async () => {
    const envelope = sealedEnvelope(seal(PLAINTEXT, await deriveNewSealKey("correct horse battery", QUICK)));
    expect(unseal(envelope, await deriveSealKey("correct horse batterY", envelope.kdf))).toBeUndefined();
  });

  it("uses a new salt per passphrase and a new nonce per write", async () => {
    const first = await deriveNewSealKey("same words here", QUICK);
    const second = await deriveNewSealKey("same words here", QUICK);
    expect(first.kdf.salt).not.toBe(second.kdf.salt);
    const a = sealedEnvelope(seal(PLAINTEXT, first));
    const b = sealedEnvelope(seal(PLAINTEXT, first));
    expect(a.cipher.nonce).not.toBe(b.cipher.nonce);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it("refuses a header whose cost was changed, since the header is authenticated", async () => {
    const key = await deriveNewSealKey("correct horse battery", QUICK);
    const envelope = sealedEnvelope(seal(PLAINTEXT, key));
    const altered = { ...envelope, kdf: { ...envelope.kdf, r: 9 } };
    expect(unseal(altered, key)).toBeUndefined();
    const flipped = Buffer.from(envelope.ciphertext, "base64");
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(unseal({ ...envelope, ciphertext: flipped.toString("base64") }, key)).toBeUndefined();
  });

  it("names scrypt with OWASP's cost (N=2^17, r=8, p=1) and its salt in the header", async () => {
    expect(SCRYPT_DEFAULTS).toEqual({ N: 131072, r: 8, p: 1 });
    const envelope = sealedEnvelope(seal(PLAINTEXT, await deriveNewSealKey("correct horse battery")));
    expect(envelope).toMatchObject({ format: "pairgate-sealed-otp-data", version: 1, kdf: { name: "scrypt", N: 131072, r: 8, p: 1 }, cipher: { name: "aes-256-gcm" } });
    expect(Buffer.from(envelope.kdf.salt, "base64")).toHaveLength(16);
    expect(Buffer.from(envelope.cipher.nonce, "base64")).toHaveLength(12);
  });

  it("reads plain JSON as plain, and a sealed header asking for too much memory as damaged", async () => {
    expect(readEnvelope(PLAINTEXT)).toEqual({ kind: "plain" });
    expect(readEnvelope("not json at all")).toEqual({ kind: "plain" });
    const envelope = sealedEnvelope(seal(PLAINTEXT, await deriveNewSealKey("correct horse battery", QUICK)));
    const greedy = JSON.stringify({ ...envelope, kdf: { ...envelope.kdf, N: 2 ** 20, r: 32 } });
    expect(readEnvelope(greedy)).toMatchObject({ kind: "damaged", reason: expect.stringContaining("1 GiB") });
    expect(readEnvelope(JSON.stringify({ ...envelope, version: 9 }))).toMatchObject({ kind: "damaged" });
  });
});
