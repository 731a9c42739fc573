import { timingSafeEqual } from "node:crypto";
import { createGuardrails, generateSync, ScureBase32Plugin } from "otplib";

/**
 * TOTP (RFC 6238) for every PairGate program: the hub checks a standard authenticator's codes
 * here, and the authenticator shows codes for imported otpauth:// accounts from here. A TOTP
 * value is the HOTP value (RFC 4226) of the time step, with SHA-1, SHA-256 or SHA-512. Pure: the
 * time is always passed in (`nowMs`, milliseconds since the Unix epoch). Misuse throws a
 * TypeError; a code that does not match is an answer, a value.
 */

export type OtpAlgorithm = "sha1" | "sha256" | "sha512";

/** RFC 6238 4.1: a 30-second step is the recommended default, and what every app assumes. */
export const TOTP_DEFAULT_PERIOD_SECONDS = 30;
/** RFC 6238 1.2 / the Key Uri Format: SHA-1 unless the URI says otherwise. */
export const TOTP_DEFAULT_ALGORITHM: OtpAlgorithm = "sha1";
/** RFC 4226 5.3: 6 digits unless told otherwise. */
export const TOTP_DEFAULT_DIGITS = 6;
/** RFC 6238 5.2: one step each way covers a phone clock that is a little off. */
export const TOTP_DEFAULT_SKEW_STEPS = 1;
/**
 * 80 bits: many services still hand out 16-character base32 keys, and the authenticator must
 * show their codes. The hub itself always makes 160-bit secrets (RFC 4226 4, R6 recommends it).
 */
export const TOTP_SECRET_MIN_BYTES = 10;
/** The longest key otplib accepts; SHA-512's block is 128 bytes, keys past 64 bytes are unheard of. */
export const TOTP_SECRET_MAX_BYTES = 64;
const DIGITS_MIN = 6;
const DIGITS_MAX = 8;
/** Ten steps of skew (five minutes at 30 s) is already far beyond what any caller should want. */
const SKEW_STEPS_MAX = 10;
/** One hour: longer steps turn a one-time code into a long-lived password. */
const PERIOD_MAX_SECONDS = 3600;
const ALGORITHMS: readonly OtpAlgorithm[] = ["sha1", "sha256", "sha512"];

/** The secret's bytes, or their base32 text (padding, spaces and lower case are tolerated). */
export type OtpSecret = Uint8Array | string;

export interface OtpOptions {
  /** "sha1" when left out. */
  algorithm?: OtpAlgorithm;
  /** 6 to 8; 6 when left out. */
  digits?: number;
}

export interface TotpOptions extends OtpOptions {
  /** Seconds per time step; 30 when left out. */
  period?: number;
}

export interface TotpVerifyOptions extends TotpOptions {
  /** Milliseconds since the Unix epoch: the verifier's clock. */
  nowMs: number;
  /** Steps accepted on each side of the current one; 1 when left out. */
  skewSteps?: number;
  /** The last step already used: a code of this step or an earlier one is refused as a replay. */
  afterStep?: number | null;
}

/** What a verification found: the step that matched (store it to refuse a replay), or why not. */
export type TotpVerification = { ok: true; step: number } | { ok: false; reason: "mismatch" | "replayed" };

const base32 = new ScureBase32Plugin();
const guardrails = createGuardrails({ MIN_SECRET_BYTES: TOTP_SECRET_MIN_BYTES, MAX_SECRET_BYTES: TOTP_SECRET_MAX_BYTES });

/** The RFC 4226 value at `counter` with any of the three hashes: TOTP's core, and imported HOTP accounts. */
export function generateOtpAtCounter(secret: OtpSecret, counter: number, options: OtpOptions = {}): string {
  const algorithm = checkedAlgorithm(options.algorithm);
  const digits = checkedDigits(options.digits);
  if (!Number.isSafeInteger(counter) || counter < 0) throw new TypeError(`An OTP counter must be a non-negative safe integer, got ${String(counter)}`);
  return generateSync({ strategy: "hotp", secret: otpSecretBytes(secret), counter, algorithm, digits: digits as 6 | 7 | 8, guardrails });
}

/** The time step that holds `nowMs` (RFC 6238 4.2, T0 = 0). */
export function totpTimeStep(nowMs: number, period: number = TOTP_DEFAULT_PERIOD_SECONDS): number {
  checkedPeriod(period);
  if (!Number.isFinite(nowMs) || nowMs < 0) throw new TypeError(`A TOTP time must be a non-negative number of milliseconds, got ${String(nowMs)}`);
  return Math.floor(nowMs / 1000 / period);
}

/** Whole seconds until the current step ends: the countdown an authenticator shows. */
export function totpSecondsLeft(nowMs: number, period: number = TOTP_DEFAULT_PERIOD_SECONDS): number {
  const nextStepMs = (totpTimeStep(nowMs, period) + 1) * period * 1000;
  return Math.ceil((nextStepMs - nowMs) / 1000);
}

/** The TOTP value at `nowMs`. */
export function generateTotp(secret: OtpSecret, nowMs: number, options: TotpOptions = {}): string {
  return generateOtpAtCounter(secret, totpTimeStep(nowMs, options.period), options);
}

/**
 * Whether `code` is the TOTP value of a step within `skewSteps` of now, and which step. Every step
 * of the window is compared, in constant time, whether or not an earlier one matched. A code of
 * the wrong shape (or not a string) is a mismatch, never a throw.
 */
export function verifyTotp(secret: OtpSecret, code: unknown, options: TotpVerifyOptions): TotpVerification {
  const skew = options.skewSteps ?? TOTP_DEFAULT_SKEW_STEPS;
  if (!Number.isInteger(skew) || skew < 0 || skew > SKEW_STEPS_MAX) throw new TypeError(`TOTP skew must be 0 to ${SKEW_STEPS_MAX} steps, got ${String(skew)}`);
  const afterStep = options.afterStep ?? null;
  if (afterStep !== null && !Number.isSafeInteger(afterStep)) throw new TypeError(`A last used TOTP step must be an integer, got ${String(afterStep)}`);
  const current = totpTimeStep(options.nowMs, options.period);
  const given = typeof code === "string" ? Buffer.from(code, "utf8") : null;
  let matched: number | null = null;
  for (let step = Math.max(0, current - skew); step <= current + skew; step += 1) {
    const expected = Buffer.from(generateOtpAtCounter(secret, step, options), "ascii");
    const equal = given !== null && given.length === expected.length && timingSafeEqual(expected, given);
    if (equal && matched === null) matched = step;
  }
  if (matched === null) return { ok: false, reason: "mismatch" };
  if (afterStep !== null && matched <= afterStep) return { ok: false, reason: "replayed" };
  return { ok: true, step: matched };
}

/** Upper-case base32 without padding, as otpauth:// URIs and manual entry use it. */
export function encodeOtpSecret(secret: Uint8Array): string {
  return base32.encode(checkedSecret(secret), { padding: false });
}

/**
 * The bytes of a base32 secret. Spaces, hyphens, padding and lower case are tolerated because
 * people copy keys as shown ("abcd efgh ..."). Throws a TypeError that never quotes the text.
 */
export function decodeOtpSecret(secretBase32: string): Uint8Array {
  if (typeof secretBase32 !== "string") throw new TypeError("A base32 OTP secret must be a string");
  const normalised = secretBase32.replace(/[\s-]/g, "").replace(/=+$/, "").toUpperCase();
  if (!/^[A-Z2-7]+$/.test(normalised)) throw new TypeError("An OTP secret is not valid base32");
  let bytes: Uint8Array;
  try {
    bytes = base32.decode(normalised);
  } catch {
    throw new TypeError("An OTP secret is not valid base32");
  }
  return checkedSecret(bytes);
}

function otpSecretBytes(secret: OtpSecret): Uint8Array {
  return typeof secret === "string" ? decodeOtpSecret(secret) : checkedSecret(secret);
}

function checkedSecret(secret: Uint8Array): Uint8Array {
  if (!(secret instanceof Uint8Array) || secret.length < TOTP_SECRET_MIN_BYTES || secret.length > TOTP_SECRET_MAX_BYTES) {
    throw new TypeError(`An OTP secret must be ${TOTP_SECRET_MIN_BYTES} to ${TOTP_SECRET_MAX_BYTES} bytes`);
  }
  return secret;
}

function checkedAlgorithm(algorithm: OtpAlgorithm = TOTP_DEFAULT_ALGORITHM): OtpAlgorithm {
  if (!ALGORITHMS.includes(algorithm)) throw new TypeError(`An OTP algorithm must be one of ${ALGORITHMS.join(", ")}, got ${String(algorithm)}`);
  return algorithm;
}

function checkedDigits(digits: number = TOTP_DEFAULT_DIGITS): number {
  if (!Number.isInteger(digits) || digits < DIGITS_MIN || digits > DIGITS_MAX) {
    throw new TypeError(`OTP digits must be between ${DIGITS_MIN} and ${DIGITS_MAX}, got ${String(digits)}`);
  }
  return digits;
}

function checkedPeriod(period: number): number {
  if (!Number.isInteger(period) || period < 1 || period > PERIOD_MAX_SECONDS) {
    throw new TypeError(`A TOTP period must be 1 to ${PERIOD_MAX_SECONDS} whole seconds, got ${String(period)}`);
  }
  return period;
}
