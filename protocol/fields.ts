import { z } from "zod";
import {
  EMAIL_CODE_DIGITS,
  BINDING_CODE_PATTERN,
  CLIENT_NAME_MAX_LENGTH,
  CROCKFORD_ALPHABET,
  DEVICE_KINDS,
  DEVICE_NAME_MAX_LENGTH,
  HOTP_DIGITS,
  EMAIL_MAX_LENGTH,
  PASSWORD_MAX_INPUT_LENGTH,
  PUBLIC_KEY_PEM_MAX_LENGTH,
  SIGNATURE_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
  USERNAME_MIN_LENGTH,
  USERNAME_PATTERN,
} from "./constants.ts";

/** Field schemas shared by several events. */

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(USERNAME_MIN_LENGTH, `Use at least ${USERNAME_MIN_LENGTH} characters`)
  .max(USERNAME_MAX_LENGTH, `Use at most ${USERNAME_MAX_LENGTH} characters`)
  .regex(USERNAME_PATTERN, "Use only letters a-z, digits and . _ -");

export const emailSchema = z.string().trim().toLowerCase().max(EMAIL_MAX_LENGTH).pipe(z.email("Not a valid email address"));

/** Any password as typed; the policy (length, common passwords) is the hub's to judge. */
export const passwordSchema = z.string().min(1, "Required").max(PASSWORD_MAX_INPUT_LENGTH, "Too long");

export const publicKeyPemSchema = z.string().min(1).max(PUBLIC_KEY_PEM_MAX_LENGTH);

export const signatureSchema = z
  .string()
  .min(1)
  .max(SIGNATURE_MAX_LENGTH)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, "Must be base64");

/** SHA-256 of a public key's DER SPKI form, in lower-case hex. */
export const keyFingerprintSchema = z.string().regex(/^[0-9a-f]{64}$/, "Must be 64 lower-case hex digits (SHA-256 of the DER SPKI key)");

export const idSchema = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, "Not a valid id");

/**
 * Names are shown on other screens (a client's name on the device, next to the number to pick),
 * so control and format characters, which could redraw a terminal, are refused.
 */
const PRINTABLE_TEXT = /^[^\p{C}]+$/u;

export const clientNameSchema = z.string().trim().min(1).max(CLIENT_NAME_MAX_LENGTH).regex(PRINTABLE_TEXT, "Use printable characters only");

export const timestampSchema = z.iso.datetime();

export const emptyPayloadSchema = z.object({});

export const userSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
});

export const accountSchema = userSchema.extend({
  role: z.enum(["user", "admin"]),
  createdAt: timestampSchema,
  passwordChangedAt: timestampSchema,
});

/** The device's code as typed: spaces are forgiven, since the authenticator shows `123 456`. */
export const otpSchema = z
  .string()
  .max(24)
  .transform((typed) => typed.replace(/\s+/g, ""))
  .pipe(z.string().regex(new RegExp(`^\\d{${HOTP_DIGITS}}$`), `Must be ${HOTP_DIGITS} digits`))
  .describe(`${HOTP_DIGITS} digits; spaces are ignored`);

/** Two digits, as the client shows them and the device offers them. */
export const numberMatchSchema = z.string().regex(/^\d{2}$/, "Must be two digits");

/**
 * A binding code as a person types it: case and the dash are forgiven, and the Crockford
 * look-alikes (I, L -> 1; O -> 0) are read as their digits. Normalised to `XXXX-XXXX`.
 */
export const bindingCodeSchema = z
  .string()
  .trim()
  .max(16)
  .transform((typed) => typed.toUpperCase().replace(/\s+/g, "").replace(/[IL]/g, "1").replace(/O/g, "0"))
  .pipe(z.string().regex(BINDING_CODE_PATTERN, `Must be 8 characters of ${CROCKFORD_ALPHABET}, as XXXX-XXXX`))
  .transform((code) => {
    const bare = code.replace("-", "");
    return `${bare.slice(0, 4)}-${bare.slice(4)}`;
  });

export const deviceNameSchema = z.string().trim().min(1, "Required").max(DEVICE_NAME_MAX_LENGTH).regex(PRINTABLE_TEXT, "Use printable characters only");

/** `pairgate`: the paired PairGate authenticator (pushes, HOTP); `totp` and `hotp`: a standard authenticator app (codes only). */
export const deviceKindSchema = z.enum(DEVICE_KINDS);

export const deviceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: deviceKindSchema,
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
  /** Until when a timed lock (too many wrong codes) refuses its codes and approvals. */
  lockedUntil: timestampSchema.nullable(),
  /** Locked after 100 wrong codes in a row until a recovery-code login or an administrator unlocks it. */
  needsOwnerUnlock: z.boolean(),
});

/** What a `security:notice` is about; the same on `/client` and `/device`. */
export const noticeKindSchema = z.enum([
  "password_changed",
  "password_reset",
  "sessions_revoked",
  "new_login",
  "new_address",
  "device_added",
  "device_revoked",
  "otp_locked",
  "otp_unlocked",
  "recovery_code_used",
  "recovery_codes_generated",
  "client_key_added",
  "client_key_removed",
  "account_locked",
  "email_changed",
]);

/** An emailed code as typed: spaces are forgiven. */
export const emailCodeSchema = z
  .string()
  .max(24)
  .transform((typed) => typed.replace(/\s+/g, ""))
  .pipe(z.string().regex(new RegExp(`^\\d{${EMAIL_CODE_DIGITS}}$`), `Must be ${EMAIL_CODE_DIGITS} digits`))
  .describe(`${EMAIL_CODE_DIGITS} digits; spaces are ignored`);

/** Recovery codes as typed: case, spaces and the dash are forgiven. Normalised to `XXXXX-XXXXX`. */
export const recoveryCodeSchema = z
  .string()
  .trim()
  .max(24)
  .transform((typed) => typed.toUpperCase().replace(/[\s-]+/g, "").replace(/[IL]/g, "1").replace(/O/g, "0"))
  .pipe(z.string().regex(/^[0-9A-HJKMNP-TV-Z]{10}$/, "Must be 10 characters, as XXXXX-XXXXX"))
  .transform((code) => `${code.slice(0, 5)}-${code.slice(5)}`)
  .describe("10 characters, as XXXXX-XXXXX; case, spaces and the dash are ignored");

/** A username or an email address, for `password:forgot`. */
export const loginNameSchema = z.string().trim().toLowerCase().min(3).max(EMAIL_MAX_LENGTH);

export const roleSchema = z.enum(["user", "admin"]);
