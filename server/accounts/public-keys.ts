import { constants, createHash, createPublicKey, verify, type KeyObject } from "node:crypto";
import { LOGIN_SIGNATURE_SALT_BYTES, RSA_MIN_MODULUS_BITS } from "#protocol";

/** A client's RSA public key, parsed and checked. */
export interface ClientPublicKey {
  pem: string;
  fingerprint: string;
  /** The key as read, for checking a signature by it at once. */
  object: KeyObject;
}

export type PublicKeyVerdict = { ok: true; key: ClientPublicKey } | { ok: false; reason: string };

const SPKI_PEM_PATTERN = /^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----\s*$/;

/**
 * Keys read for signature checks, by their PEM text. Every login verifies a signature against the
 * account's keys, and reading a PEM into a key took about a third of an `auth:prove-key` (npm run
 * bench, CPU profile). Only stored keys are kept, which parseClientPublicKey checked before they
 * were stored: a key anyone can send with a login does not push them out. The least recently used
 * go first.
 */
const readKeys = new Map<string, KeyObject>();
const READ_KEYS_KEPT = 2048;

function readStoredKey(pem: string): KeyObject {
  const cached = readKeys.get(pem);
  if (cached) {
    readKeys.delete(pem);
    readKeys.set(pem, cached);
    return cached;
  }
  const key = createPublicKey({ key: pem, format: "pem", type: "spki" });
  if (readKeys.size >= READ_KEYS_KEPT) readKeys.delete(readKeys.keys().next().value!);
  readKeys.set(pem, key);
  return key;
}

/** Accepts only an RSA key of at least 2048 bits in SPKI PEM form; says why otherwise. */
export function parseClientPublicKey(pem: string): PublicKeyVerdict {
  const text = pem.trim();
  if (!SPKI_PEM_PATTERN.test(text)) {
    return { ok: false, reason: "Expected a PEM block '-----BEGIN PUBLIC KEY-----' (SPKI)." };
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: text, format: "pem", type: "spki" });
  } catch {
    return { ok: false, reason: "The PEM block does not hold a readable public key." };
  }
  if (key.asymmetricKeyType !== "rsa") {
    return { ok: false, reason: `Expected an RSA key, got ${key.asymmetricKeyType ?? "an unknown type"}.` };
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < RSA_MIN_MODULUS_BITS) {
    return { ok: false, reason: `The RSA key has ${bits} bits; at least ${RSA_MIN_MODULUS_BITS} are required.` };
  }
  const der = key.export({ format: "der", type: "spki" });
  const canonicalPem = key.export({ format: "pem", type: "spki" }).toString();
  return { ok: true, key: { pem: canonicalPem, fingerprint: createHash("sha256").update(der).digest("hex"), object: key } };
}

/**
 * RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 bytes, as docs/PROTOCOL.md's login defines it. `key`
 * is a stored key's PEM, or a key just read by parseClientPublicKey.
 */
export function verifyLoginSignature(key: string | KeyObject, message: string, signatureBase64: string): boolean {
  const signature = Buffer.from(signatureBase64, "base64");
  if (signature.length === 0) return false;
  return verify(
    "sha256",
    Buffer.from(message, "utf8"),
    { key: typeof key === "string" ? readStoredKey(key) : key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: LOGIN_SIGNATURE_SALT_BYTES },
    signature,
  );
}
