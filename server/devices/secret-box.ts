import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

/**
 * HOTP secrets at rest (RFC 4226 7.5): AES-256-GCM under a key derived from the hub key.
 * The associated data (for example the device id) binds a sealed secret to its row, so one
 * copied onto another device's row does not open.
 *
 * Format: `v1.<iv>.<tag>.<ciphertext>`, each part base64url without padding.
 */
const FORMAT_VERSION = "v1";
const KEY_BYTES = 32;
const IV_BYTES = 12; // NIST SP 800-38D 8.2: 96-bit random IVs; a fresh one per seal.
const TAG_BYTES = 16; // the full tag; a shorter one is refused, not accepted.
const BASE64URL_PART = /^[A-Za-z0-9_-]*$/;

export function sealSecret(key: Buffer, plaintext: Uint8Array, associatedData: string): string {
  assertKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.from(associatedData, "utf8"));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [FORMAT_VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), ciphertext.toString("base64url")].join(".");
}

/** Throws when the text was altered, or the key or associated data differ from the sealing. */
export function openSecret(key: Buffer, sealed: string, associatedData: string): Uint8Array {
  assertKey(key);
  const parts = String(sealed).split(".");
  if (parts.length !== 4 || parts[0] !== FORMAT_VERSION) throw new Error(`Not a sealed secret in the ${FORMAT_VERSION} format`);
  const [iv, tag, ciphertext] = parts.slice(1).map(decodePart);
  if (!iv || !tag || !ciphertext) throw new Error("The sealed secret is not valid base64url");
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new Error("The sealed secret has a wrong IV or tag length");
  const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(associatedData, "utf8"));
  decipher.setAuthTag(tag);
  try {
    return new Uint8Array(Buffer.concat([decipher.update(ciphertext), decipher.final()]));
  } catch {
    throw new Error("The sealed secret does not open: it was altered, or the key or associated data differ");
  }
}

/** Strict base64url: Node's decoder skips stray characters, which would hide tampering. */
function decodePart(part: string): Buffer | undefined {
  if (!BASE64URL_PART.test(part)) return undefined;
  const bytes = Buffer.from(part, "base64url");
  return bytes.toString("base64url") === part ? bytes : undefined;
}

function assertKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== KEY_BYTES) throw new TypeError(`The secret-box key must be a Buffer of ${KEY_BYTES} bytes`);
}
