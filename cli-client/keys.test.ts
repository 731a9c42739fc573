import { execFileSync } from "node:child_process";
import { constants, createHash, createPublicKey, verify } from "node:crypto";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loginSignatureMessage } from "#protocol";
import { homePaths } from "../terminal/home.ts";
import {
  generateKeyPair,
  isEncryptedPrivateKey,
  type KeyPairPem,
  openPrivateKey,
  publicKeyBits,
  publicKeyFingerprint,
  publicKeyPemOf,
  saveKeyPair,
  signMessage,
} from "./keys.ts";

const PASSPHRASE = "correct horse battery staple";
const MESSAGE = loginSignatureMessage("chal_123", "bm9uY2Utbm9uY2Utbm9uY2U");

let folder: string;
let plain: KeyPairPem;
let encrypted: KeyPairPem;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-keys-"));
  plain = generateKeyPair(2048);
  encrypted = generateKeyPair(2048, PASSPHRASE);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

function openssl(args: string[], input?: string): string {
  return execFileSync("openssl", args, { input, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
}

describe("key generation", () => {
  it("makes an RSA key of the default 3072 bits that openssl reads as a SPKI public key", () => {
    const pair = generateKeyPair();
    const text = openssl(["pkey", "-pubin", "-text", "-noout"], pair.publicKeyPem);
    expect(text).toMatch(/Public-Key: \(3072 bit\)/);
    expect(publicKeyBits(pair.publicKeyPem)).toBe(3072);
  });

  it("never makes a key below 2048 bits", () => {
    expect(openssl(["pkey", "-pubin", "-text", "-noout"], plain.publicKeyPem)).toMatch(/Public-Key: \(2048 bit\)/);
    expect(() => generateKeyPair(1024 as never)).toThrow(RangeError);
  });

  it("writes an unencrypted private key as PKCS#8 that openssl checks as a valid RSA key", () => {
    expect(plain.privateKeyPem).toContain("-----BEGIN PRIVATE KEY-----");
    expect(openssl(["rsa", "-check", "-noout"], plain.privateKeyPem)).toMatch(/RSA key ok/);
  });

  it("gives the SHA-256 of the DER SPKI as the fingerprint, as openssl computes it", () => {
    const der = execFileSync("openssl", ["pkey", "-pubin", "-outform", "DER"], { input: plain.publicKeyPem });
    expect(publicKeyFingerprint(plain.publicKeyPem)).toBe(createHash("sha256").update(der).digest("hex"));
  });
});

describe("the public key sent from a machine new to the account", () => {
  it("is derived from the private key, byte for byte the public key file, even for an encrypted key", () => {
    expect(publicKeyPemOf(openPrivateKey(plain.privateKeyPem)!)).toBe(plain.publicKeyPem);
    expect(publicKeyPemOf(openPrivateKey(encrypted.privateKeyPem, PASSPHRASE)!)).toBe(encrypted.publicKeyPem);
  });
});

describe("key files", () => {
  it("are saved 0600 in a 0700 folder", async () => {
    const paths = homePaths(join(folder, "home"));
    await saveKeyPair(paths, plain);
    expect((await stat(paths.home)).mode & 0o777).toBe(0o700);
    expect((await stat(paths.privateKey)).mode & 0o777).toBe(0o600);
    expect((await stat(paths.publicKey)).mode & 0o777).toBe(0o600);
    expect(await readFile(paths.publicKey, "utf8")).toBe(plain.publicKeyPem);
  });
});

describe("a passphrase-encrypted key", () => {
  it("is encrypted PKCS#8 with AES-256 and PBKDF2-SHA256", () => {
    expect(isEncryptedPrivateKey(encrypted.privateKeyPem)).toBe(true);
    const structure = openssl(["asn1parse"], encrypted.privateKeyPem);
    expect(structure).toContain("PBES2");
    expect(structure).toContain("aes-256-cbc");
    expect(structure).toContain("hmacWithSHA256");
  });

  it("does not open without the passphrase or with a wrong one", () => {
    expect(openPrivateKey(encrypted.privateKeyPem)).toBeUndefined();
    expect(openPrivateKey(encrypted.privateKeyPem, "wrong passphrase")).toBeUndefined();
    expect(() => openssl(["pkey", "-passin", "pass:wrong passphrase", "-noout"], encrypted.privateKeyPem)).toThrow();
  });

  it("opens with the passphrase, here and in openssl", () => {
    expect(openPrivateKey(encrypted.privateKeyPem, PASSPHRASE)).toBeDefined();
    expect(openssl(["pkey", "-passin", `pass:${PASSPHRASE}`, "-text", "-noout"], encrypted.privateKeyPem)).toMatch(/2048 bit/);
  });
});

describe("login signatures", () => {
  it("verify with node:crypto as RSASSA-PSS, SHA-256, salt length 32", () => {
    const signature = signMessage(openPrivateKey(plain.privateKeyPem)!, MESSAGE);
    const valid = verify(
      "sha256",
      Buffer.from(MESSAGE, "utf8"),
      { key: createPublicKey(plain.publicKeyPem), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      Buffer.from(signature, "base64"),
    );
    expect(valid).toBe(true);
  });

  it("verify with openssl dgst in PSS mode with a 32-byte salt", async () => {
    const signature = signMessage(openPrivateKey(encrypted.privateKeyPem, PASSPHRASE)!, MESSAGE);
    const files = { key: join(folder, "pub.pem"), message: join(folder, "message.txt"), signature: join(folder, "message.sig") };
    await writeFile(files.key, encrypted.publicKeyPem);
    await writeFile(files.message, MESSAGE);
    await writeFile(files.signature, Buffer.from(signature, "base64"));
    const pss = ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32"];
    const output = openssl(["dgst", "-sha256", ...pss, "-verify", files.key, "-signature", files.signature, files.message]);
    expect(output.trim()).toBe("Verified OK");
  });

  it("do not verify for another message or another key", () => {
    const signature = Buffer.from(signMessage(openPrivateKey(plain.privateKeyPem)!, MESSAGE), "base64");
    const pss = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };
    const other = Buffer.from(loginSignatureMessage("chal_123", "another-nonce"), "utf8");
    expect(verify("sha256", other, { key: createPublicKey(plain.publicKeyPem), ...pss }, signature)).toBe(false);
    const message = Buffer.from(MESSAGE, "utf8");
    expect(verify("sha256", message, { key: createPublicKey(encrypted.publicKeyPem), ...pss }, signature)).toBe(false);
  });
});
