import { timingSafeEqual } from "node:crypto";
import { generateSync, ScureBase32Plugin } from "otplib";

/**
 * HOTP (RFC 4226) for every PairGate program: the hub, the authenticator, the test helpers and the
 * event scripts compute codes here and nowhere else. Pure: no state, no clock, no I/O. Misuse
 * (a bad counter, a short secret, unreadable base32) throws a TypeError; a code that does not
 * match is an answer, `false`.
 */

/** RFC 4226 5.3: 6 digits unless told otherwise; PairGate uses 6. */
export const HOTP_DEFAULT_DIGITS = 6;
/** RFC 4226 5.3 allows 6 to 8 digits. */
const DIGITS_MIN = 6;
const DIGITS_MAX = 8;
/** RFC 4226 4, R6: the shared secret is at least 128 bits. */
export const HOTP_SECRET_MIN_BYTES = 16;

/** The secret's bytes, or their base32 text as device:bind hands it out. */
export type HotpSecret = Uint8Array | string;

export interface HotpOptions {
  /** 6 to 8; HOTP_DEFAULT_DIGITS when left out. */
  digits?: number;
}

const base32 = new ScureBase32Plugin();

/** The HOTP value of `secret` at `counter`: HMAC-SHA-1 and dynamic truncation (RFC 4226 5.3). */
export function generateHotp(secret: HotpSecret, counter: number, options: HotpOptions = {}): string {
  const digits = checkedDigits(options.digits);
  assertCounter(counter);
  return generateSync({ strategy: "hotp", secret: secretBytes(secret), counter, algorithm: "sha1", digits });
}

/**
 * Whether `code` is the HOTP value at exactly `counter`. The comparison takes the same time
 * wherever the digits differ; a code of the wrong shape (or not a string) is simply `false`.
 */
export function verifyHotp(secret: HotpSecret, counter: number, code: unknown, options: HotpOptions = {}): boolean {
  const expected = Buffer.from(generateHotp(secret, counter, options), "ascii");
  if (typeof code !== "string") return false;
  const given = Buffer.from(code, "utf8");
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** The secret as upper-case base32 without padding, as device:bind hands it out. */
export function encodeBase32Secret(secret: Uint8Array): string {
  return base32.encode(checkedSecret(secret));
}

/** The bytes of a base32 secret; throws a TypeError when the text is not base32. */
export function decodeBase32Secret(secretBase32: string): Uint8Array {
  if (typeof secretBase32 !== "string") throw new TypeError("A base32 HOTP secret must be a string");
  try {
    return checkedSecret(base32.decode(secretBase32));
  } catch (error) {
    if (error instanceof TypeError) throw error;
    // Only the reason, never the text: it is a secret.
    throw new TypeError("An HOTP secret is not valid base32");
  }
}

function secretBytes(secret: HotpSecret): Uint8Array {
  return typeof secret === "string" ? decodeBase32Secret(secret) : checkedSecret(secret);
}

function checkedSecret(secret: Uint8Array): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length < HOTP_SECRET_MIN_BYTES) {
    throw new TypeError(`An HOTP secret must be at least ${HOTP_SECRET_MIN_BYTES} bytes`);
  }
  return secret;
}

function checkedDigits(digits: number = HOTP_DEFAULT_DIGITS): number {
  if (!Number.isInteger(digits) || digits < DIGITS_MIN || digits > DIGITS_MAX) {
    throw new TypeError(`HOTP digits must be between ${DIGITS_MIN} and ${DIGITS_MAX}, got ${String(digits)}`);
  }
  return digits;
}

function assertCounter(counter: number): void {
  if (!Number.isSafeInteger(counter) || counter < 0) throw new TypeError(`An HOTP counter must be a non-negative safe integer, got ${String(counter)}`);
}
