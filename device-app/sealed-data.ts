import { createCipheriv, createDecipheriv, randomBytes, scrypt } from "node:crypto";
import { z } from "zod";

/**
 * The passphrase seal of the authenticator's data file: scrypt turns the passphrase into a key,
 * AES-256-GCM encrypts the whole JSON document under it. The envelope is JSON too, and says what
 * it is, so a sealed file and a plain one are told apart before any passphrase is asked for.
 */

export const SEALED_FORMAT = "pairgate-sealed-otp-data";
const SEALED_VERSION = 1;

/**
 * OWASP Password Storage Cheat Sheet: scrypt N=2^17, r=8, p=1, which takes 128 MiB of memory per
 * guess (128 · N · r bytes), so that a stolen file cannot be attacked cheaply on GPUs. About one
 * second here (Node 20, shared 2-core machine), paid once per start. Kept in the file, so a later
 * release can raise them: `passphrase change` re-seals with whatever this constant then says.
 */
export const SCRYPT_DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;
/** NIST SP 800-132: a salt of at least 128 bits, random per file (new on every passphrase change). */
const SALT_BYTES = 16;
const KEY_BYTES = 32; // AES-256
/** NIST SP 800-38D: a 96-bit nonce; random per write, and a key seals far fewer than 2^32 writes. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
// A file names its own cost; these bounds keep a planted file from asking for gigabytes or hours,
// while leaving room to raise the cost eightfold.
const SCRYPT_MIN_LOG_N = 14;
const SCRYPT_MAX_LOG_N = 20;
const SCRYPT_MAX_R = 32;
const SCRYPT_MAX_P = 16;
const SCRYPT_MAX_MEMORY_BYTES = 2 ** 30; // 1 GiB: 128 · N · r
/** Node refuses scrypt above 32 MiB unless told; its own bookkeeping needs a little beyond 128 · N · r. */
const SCRYPT_MAXMEM_BYTES = SCRYPT_MAX_MEMORY_BYTES + 2 ** 24;

const base64Bytes = (length: number) => z.base64().refine((text) => Buffer.from(text, "base64").length === length, `Must be ${length} bytes`);

const scryptParamsSchema = z
  .object({
    name: z.literal("scrypt"),
    N: z.int().refine((n) => Number.isInteger(Math.log2(n)) && n >= 2 ** SCRYPT_MIN_LOG_N && n <= 2 ** SCRYPT_MAX_LOG_N, "Must be a power of two from 2^14 to 2^20"),
    r: z.int().min(1).max(SCRYPT_MAX_R),
    p: z.int().min(1).max(SCRYPT_MAX_P),
    salt: base64Bytes(SALT_BYTES),
  })
  .refine((kdf) => 128 * kdf.N * kdf.r <= SCRYPT_MAX_MEMORY_BYTES, "Asks for more than 1 GiB of memory");
export type ScryptParams = z.output<typeof scryptParamsSchema>;

const envelopeSchema = z.object({
  format: z.literal(SEALED_FORMAT),
  version: z.literal(SEALED_VERSION),
  kdf: scryptParamsSchema,
  cipher: z.object({ name: z.literal("aes-256-gcm"), nonce: base64Bytes(NONCE_BYTES), tag: base64Bytes(TAG_BYTES) }),
  ciphertext: z.base64(),
});
type Envelope = z.output<typeof envelopeSchema>;

/** A key derived from the passphrase, with the parameters and salt it was derived with. */
export interface SealKey {
  key: Buffer;
  kdf: ScryptParams;
}

export type EnvelopeRead = { kind: "plain" } | { kind: "sealed"; envelope: Envelope } | { kind: "damaged"; reason: string };

/** Whether `text` is a sealed envelope (checked in full), or something else to read as plain JSON. */
export function readEnvelope(text: string): EnvelopeRead {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: "plain" };
  }
  if (typeof json !== "object" || json === null || (json as { format?: unknown }).format !== SEALED_FORMAT) return { kind: "plain" };
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: "damaged", reason: `${issue?.path.join(".") || "(top level)"}: ${issue?.message ?? "invalid"}` };
  }
  return { kind: "sealed", envelope: parsed.data };
}

/** A fresh key for a new passphrase: new random salt, today's parameters. */
export async function deriveNewSealKey(passphrase: string, cost: Omit<ScryptParams, "name" | "salt"> = SCRYPT_DEFAULTS): Promise<SealKey> {
  return deriveSealKey(passphrase, { name: "scrypt", ...cost, salt: randomBytes(SALT_BYTES).toString("base64") });
}

/** The key `passphrase` gives with the salt and parameters a sealed file names. */
export async function deriveSealKey(passphrase: string, kdf: ScryptParams): Promise<SealKey> {
  if (passphrase.length === 0) throw new TypeError("A passphrase cannot be empty");
  const key = await new Promise<Buffer>((resolve, reject) => {
    scrypt(passphrase.normalize("NFC"), Buffer.from(kdf.salt, "base64"), KEY_BYTES, { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: SCRYPT_MAXMEM_BYTES }, (error, derived) =>
      error ? reject(error) : resolve(derived),
    );
  });
  return { key, kdf };
}

/** The envelope's text for `plaintext`, with a fresh nonce. */
export function seal(plaintext: string, sealKey: SealKey): string {
  const nonce = randomBytes(NONCE_BYTES);
  const header = { format: SEALED_FORMAT, version: SEALED_VERSION, kdf: sealKey.kdf } as const;
  const cipher = createCipheriv("aes-256-gcm", sealKey.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(header.kdf, nonce.toString("base64")));
  const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  const envelope: Envelope = {
    ...header,
    cipher: { name: "aes-256-gcm", nonce: nonce.toString("base64"), tag: cipher.getAuthTag().toString("base64") },
    ciphertext: ciphertext.toString("base64"),
  };
  return `${JSON.stringify(envelope, null, 2)}\n`;
}

/**
 * The plaintext, or `undefined` when the key does not open the envelope: a wrong passphrase and an
 * altered file look the same to AES-GCM, and either way nothing must be read from it.
 */
export function unseal(envelope: Envelope, sealKey: SealKey): string | undefined {
  const decipher = createDecipheriv("aes-256-gcm", sealKey.key, Buffer.from(envelope.cipher.nonce, "base64"), { authTagLength: TAG_BYTES });
  decipher.setAAD(associatedData(envelope.kdf, envelope.cipher.nonce));
  decipher.setAuthTag(Buffer.from(envelope.cipher.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(envelope.ciphertext, "base64")), decipher.final()]).toString("utf8");
  } catch {
    return undefined;
  }
}

/** Whether a key was derived for this envelope (same salt and cost), so it can be tried without scrypt. */
export function keyFitsEnvelope(sealKey: SealKey, envelope: Envelope): boolean {
  const { kdf } = envelope;
  return kdf.salt === sealKey.kdf.salt && kdf.N === sealKey.kdf.N && kdf.r === sealKey.kdf.r && kdf.p === sealKey.kdf.p;
}

// The header is authenticated with the ciphertext, so its parameters cannot be swapped unnoticed.
function associatedData(kdf: ScryptParams, nonce: string): Buffer {
  return Buffer.from(JSON.stringify([SEALED_FORMAT, SEALED_VERSION, kdf.name, kdf.N, kdf.r, kdf.p, kdf.salt, "aes-256-gcm", nonce]), "utf8");
}
