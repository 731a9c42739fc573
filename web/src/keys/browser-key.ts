import { loginKeyProofMessage, loginSignatureMessage } from "#protocol";
import { readStoredKeyPair, storeKeyPair } from "./key-store.ts";

// The same scheme as the terminal client (cli-client/keys.ts): RSASSA-PSS, SHA-256, MGF1-SHA-256,
// salt 32 bytes, base64. The hub verifies both alike.
const RSA_MODULUS_BITS = 2048; // the hub refuses RSA keys shorter than this
const PSS_SALT_BYTES = 32;
const KEY_NAME = "browser-key";
const ALGORITHM: RsaHashedKeyGenParams = { name: "RSA-PSS", modulusLength: RSA_MODULUS_BITS, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" };

/** This browser's key pair: the private half cannot be exported, not even by this page's scripts. */
export interface BrowserKey {
  /** SubjectPublicKeyInfo PEM, as `account:register` and a new machine's `publicKey` expect. */
  publicKeyPem: string;
  /** SHA-256 of the DER SPKI, lower-case hex: the key's fingerprint in `keyProof`. */
  fingerprint: string;
  sign(message: string): Promise<string>;
}

let loading: Promise<BrowserKey> | undefined;

/** The browser's key, made on first use and kept in IndexedDB from then on. */
export function browserKey(): Promise<BrowserKey> {
  loading ??= loadOrCreate().catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

async function loadOrCreate(): Promise<BrowserKey> {
  const stored = await readStoredKeyPair(KEY_NAME);
  const pair = stored ?? (await crypto.subtle.generateKey(ALGORITHM, false, ["sign", "verify"]));
  if (!stored) await storeKeyPair(KEY_NAME, pair);
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", spki));
  return {
    publicKeyPem: toPem(spki),
    fingerprint: [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join(""),
    sign: async (message) => toBase64(new Uint8Array(await crypto.subtle.sign({ name: "RSA-PSS", saltLength: PSS_SALT_BYTES }, pair.privateKey, new TextEncoder().encode(message)))),
  };
}

/** `pairgate-login:v1:<challengeId>:<nonce>`, signed: the login's key signature. */
export async function signChallenge(challengeId: string, nonce: string): Promise<string> {
  return (await browserKey()).sign(loginSignatureMessage(challengeId, nonce));
}

/** Shows, with the password, that this browser holds a key the account knows (docs/SECURITY.md, "Known-key logins"). */
export async function keyProofFor(username: string, now = new Date()): Promise<{ fingerprint: string; timestamp: string; signature: string }> {
  const key = await browserKey();
  const timestamp = now.toISOString();
  return { fingerprint: key.fingerprint, timestamp, signature: await key.sign(loginKeyProofMessage(username, timestamp)) };
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function toPem(spki: Uint8Array): string {
  const lines = toBase64(spki).match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join("\n")}\n-----END PUBLIC KEY-----\n`;
}
