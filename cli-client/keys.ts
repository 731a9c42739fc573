import { createPrivateKey } from "node:crypto";
import { createRequire } from "node:module";
import type Forge from "node-forge";
import { LOGIN_SIGNATURE_SALT_BYTES, RSA_MIN_MODULUS_BITS } from "#protocol";
import { fileExists, type HomePaths, readFileIfExists, writePrivateFileAtomically } from "../terminal/home.ts";

export const KEY_BITS_CHOICES = [2048, 3072, 4096] as const;
export type KeyBits = (typeof KEY_BITS_CHOICES)[number];
// 3072-bit RSA gives about 128-bit security (NIST SP 800-57 Part 1, table 2).
export const DEFAULT_KEY_BITS: KeyBits = 3072;
// PBKDF2-HMAC-SHA256 iterations for an encrypted key file (OWASP Password Storage Cheat Sheet).
export const KEY_PBKDF2_ITERATIONS = 600_000;
const RSA_PUBLIC_EXPONENT = 0x10001;

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

export type PrivateKey = Forge.pki.rsa.PrivateKey;

const require = createRequire(import.meta.url);
let loadedForge: typeof Forge | undefined;

/** node-forge, loaded by the first command that uses a key: `--help` and most commands never do. */
function forge(): typeof Forge {
  loadedForge ??= require("node-forge") as typeof Forge;
  return loadedForge;
}

/** A fresh RSA key pair: SPKI public key, PKCS#8 private key (encrypted with AES-256 if a passphrase is given). */
export function generateKeyPair(bits: KeyBits = DEFAULT_KEY_BITS, passphrase?: string): KeyPairPem {
  if (bits < RSA_MIN_MODULUS_BITS) throw new RangeError(`RSA keys need at least ${RSA_MIN_MODULUS_BITS} bits`);
  const pair = forge().pki.rsa.generateKeyPair({ bits, e: RSA_PUBLIC_EXPONENT });
  const privateKeyPem = passphrase
    ? forge().pki.encryptRsaPrivateKey(pair.privateKey, passphrase, {
        algorithm: "aes256",
        prfAlgorithm: "sha256",
        count: KEY_PBKDF2_ITERATIONS,
        saltSize: 16,
      })
    : forge().pki.privateKeyInfoToPem(forge().pki.wrapRsaPrivateKey(forge().pki.privateKeyToAsn1(pair.privateKey)));
  const publicKeyPem = forge().pki.publicKeyToPem(pair.publicKey);
  // forge ends PEM lines with CRLF; files written on Unix read better with plain newlines.
  return { privateKeyPem: toUnixLines(privateKeyPem), publicKeyPem: toUnixLines(publicKeyPem) };
}

/** SHA-256 of the DER SubjectPublicKeyInfo, lowercase hex: what `openssl pkey -pubin -outform DER | sha256sum` prints. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const publicKey = forge().pki.publicKeyFromPem(publicKeyPem);
  return forge().pki.getPublicKeyFingerprint(publicKey, {
    type: "SubjectPublicKeyInfo",
    md: forge().md.sha256.create(),
    encoding: "hex",
  });
}

/** The SPKI PEM of the key pair's public half, as `auth:complete` sends it from a machine new to the account. */
export function publicKeyPemOf(privateKey: PrivateKey): string {
  return toUnixLines(forge().pki.publicKeyToPem(forge().pki.setRsaPublicKey(privateKey.n, privateKey.e)));
}

export function publicKeyBits(publicKeyPem: string): number {
  return forge().pki.publicKeyFromPem(publicKeyPem).n.bitLength();
}

export function isEncryptedPrivateKey(privateKeyPem: string): boolean {
  return privateKeyPem.includes("-----BEGIN ENCRYPTED PRIVATE KEY-----");
}

/**
 * Reads the private key, or gives `undefined` when the passphrase is wrong or missing.
 * An encrypted key is opened by OpenSSL (node:crypto): forge's pure-JS PBKDF2 takes seconds
 * at the iteration count above, on every login.
 */
export function openPrivateKey(privateKeyPem: string, passphrase?: string): PrivateKey | undefined {
  if (!isEncryptedPrivateKey(privateKeyPem)) return forge().pki.privateKeyFromPem(privateKeyPem);
  if (!passphrase) return undefined;
  try {
    const plain = createPrivateKey({ key: privateKeyPem, format: "pem", passphrase });
    return forge().pki.privateKeyFromPem(plain.export({ type: "pkcs8", format: "pem" }).toString());
  } catch {
    return undefined; // OpenSSL reports a wrong passphrase only as a decryption error.
  }
}

/** RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt, base64: the login signature the hub verifies. */
export function signMessage(privateKey: PrivateKey, message: string): string {
  const digest = forge().md.sha256.create();
  digest.update(message, "utf8");
  const scheme = forge().pss.create({
    md: forge().md.sha256.create(),
    mgf: forge().mgf.mgf1.create(forge().md.sha256.create()),
    saltLength: LOGIN_SIGNATURE_SALT_BYTES,
  });
  return forge().util.encode64(privateKey.sign(digest, scheme));
}

export async function keyPairExists(paths: HomePaths): Promise<boolean> {
  return (await fileExists(paths.privateKey)) || (await fileExists(paths.publicKey));
}

/** Private key first: a public key on disk without its private key would be worse than neither. */
export async function saveKeyPair(paths: HomePaths, pair: KeyPairPem): Promise<void> {
  await writePrivateFileAtomically(paths.privateKey, pair.privateKeyPem);
  await writePrivateFileAtomically(paths.publicKey, pair.publicKeyPem);
}

export async function loadPublicKeyPem(paths: HomePaths): Promise<string | undefined> {
  return readFileIfExists(paths.publicKey);
}

export async function loadPrivateKeyPem(paths: HomePaths): Promise<string | undefined> {
  return readFileIfExists(paths.privateKey);
}

function toUnixLines(pem: string): string {
  return pem.replace(/\r\n/g, "\n");
}
