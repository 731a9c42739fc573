import { hkdfSync, randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SettingsError } from "./config.ts";
import { deriveKey, loadHubKey, type KeyPurpose } from "./secret-key.ts";

let dataDir: string;
beforeEach(() => {
  dataDir = path.join(mkdtempSync(path.join(os.tmpdir(), "pairgate-key-")), "data");
});
afterEach(() => rmSync(path.dirname(dataDir), { recursive: true, force: true }));

const keyFile = () => path.join(dataDir, "secret.key");

describe("loadHubKey", () => {
  it("creates data/secret.key on first use: 32 random bytes, base64, mode 0600, in a 0700 folder", () => {
    const key = loadHubKey({ dataDir }, {});
    expect(key).toHaveLength(32);
    expect(readFileSync(keyFile(), "utf8")).toBe(`${key.toString("base64")}\n`);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(dataDir)).toEqual(["secret.key"]);
  });

  it("reads the same key back on later starts", () => {
    const first = loadHubKey({ dataDir }, {});
    expect(loadHubKey({ dataDir }, {})).toEqual(first);
  });

  it("keeps an existing key file rather than replacing it", () => {
    const existing = randomBytes(32);
    loadHubKey({ dataDir }, {});
    writeFileSync(keyFile(), existing.toString("base64"), { mode: 0o600 });
    expect(loadHubKey({ dataDir }, {})).toEqual(existing);
  });

  it("takes PAIRGATE_SECRET_KEY over the file, and then writes no file", () => {
    const key = randomBytes(32);
    expect(loadHubKey({ dataDir }, { PAIRGATE_SECRET_KEY: key.toString("base64") })).toEqual(key);
    expect(loadHubKey({ dataDir }, { PAIRGATE_SECRET_KEY: `${key.toString("base64").replace(/=+$/, "")}\n` })).toEqual(key);
    expect(existsSync(keyFile())).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["too short", randomBytes(16).toString("base64")],
    ["too long", randomBytes(33).toString("base64")],
    ["not base64", "not a key at all, not a key at all, not a k!"],
    ["hex", randomBytes(32).toString("hex")],
  ])("refuses a PAIRGATE_SECRET_KEY that is %s, naming the variable and not echoing the value", (_what, value) => {
    const load = () => loadHubKey({ dataDir }, { PAIRGATE_SECRET_KEY: value });
    expect(load).toThrow(SettingsError);
    expect(load).toThrow(/PAIRGATE_SECRET_KEY must be the base64 of exactly 32 bytes/);
    try {
      load();
    } catch (error) {
      if (value) expect((error as Error).message).not.toContain(value);
    }
    expect(existsSync(keyFile())).toBe(false);
  });

  it("refuses a damaged key file instead of replacing it", () => {
    loadHubKey({ dataDir }, {});
    writeFileSync(keyFile(), "garbage\n");
    expect(() => loadHubKey({ dataDir }, {})).toThrow(/secret\.key does not hold/);
    expect(readFileSync(keyFile(), "utf8")).toBe("garbage\n");
  });
});

describe("deriveKey", () => {
  const hubKey = Buffer.from("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "hex");

  it("derives a stable 32-byte key per purpose, different for each purpose and from the hub key", () => {
    const hotp = deriveKey(hubKey, "hotp-secrets");
    const codes = deriveKey(hubKey, "code-hashes");
    expect(hotp).toHaveLength(32);
    expect(deriveKey(hubKey, "hotp-secrets")).toEqual(hotp);
    expect(hotp.equals(codes)).toBe(false);
    expect(hotp.equals(hubKey)).toBe(false);
    expect(deriveKey(randomBytes(32), "hotp-secrets").equals(hotp)).toBe(false);
  });

  it("gives each of the five purposes its own key", () => {
    const purposes: KeyPurpose[] = ["hotp-secrets", "code-hashes", "email-codes", "recovery-codes", "retired-keys"];
    const keys = new Set(purposes.map((purpose) => deriveKey(hubKey, purpose).toString("hex")));
    expect(keys.size).toBe(purposes.length);
  });

  it("is HKDF-SHA256 with an empty salt and info pairgate:<purpose>:v1", () => {
    const expected = Buffer.from(hkdfSync("sha256", hubKey, Buffer.alloc(0), "pairgate:code-hashes:v1", 32));
    expect(deriveKey(hubKey, "code-hashes")).toEqual(expected);
  });

  it("throws a TypeError on a short hub key or an unknown purpose", () => {
    expect(() => deriveKey(randomBytes(16), "hotp-secrets")).toThrow(TypeError);
    expect(() => deriveKey(hubKey, "sessions" as KeyPurpose)).toThrow(TypeError);
  });
});
