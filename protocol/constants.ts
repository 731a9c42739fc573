/** Limits and lifetimes shared by the hub and its clients. Units are in the names. */

export const USERNAME_MIN_LENGTH = 3;
export const USERNAME_MAX_LENGTH = 32;
export const USERNAME_PATTERN = /^[a-z0-9._-]+$/;
export const EMAIL_MAX_LENGTH = 254; // RFC 5321 path limit

export const PASSWORD_MIN_LENGTH = 8; // NIST SP 800-63B 5.1.1.2
// bcrypt reads at most 72 bytes; longer passwords are refused rather than silently cut.
export const PASSWORD_MAX_BYTES = 72;
// Schema bound only, so a huge string is refused before it reaches the policy or a hash.
export const PASSWORD_MAX_INPUT_LENGTH = 1024;

export const RSA_MIN_MODULUS_BITS = 2048;
export const PUBLIC_KEY_PEM_MAX_LENGTH = 16_384;

export const LOGIN_CHALLENGE_TTL_SECONDS = 120;
/**
 * Codes one login may try (the device's or a recovery code) before it ends; a typo is asked again
 * rather than costing the password. The device's own lock (10 wrong codes in a row, RFC 4226 7.3)
 * counts across logins as well.
 */
export const LOGIN_CHALLENGE_CODE_TRIES = 3;
export const LOGIN_NONCE_BYTES = 32;
/** The string a client signs: `pairgate-login:v1:<challengeId>:<nonce>`. */
export const LOGIN_SIGNATURE_PREFIX = "pairgate-login:v1";
/** RSASSA-PSS with SHA-256, MGF1-SHA-256 and this salt length, base64. */
export const LOGIN_SIGNATURE_SALT_BYTES = 32;
export const SIGNATURE_MAX_LENGTH = 2048;

export const SESSION_TOKEN_BYTES = 32;
export const SESSION_ABSOLUTE_TTL_SECONDS = 30 * 24 * 60 * 60;
export const SESSION_IDLE_TTL_SECONDS = 7 * 24 * 60 * 60;

export const CLIENT_NAME_MAX_LENGTH = 64;
export const AUDIT_PAGE_MAX = 200;

/** Largest Socket.IO message the hub reads; larger ones close the connection. */
export const MAX_MESSAGE_BYTES = 64 * 1024;

/**
 * A known-key proof on `auth:login`: the client signs
 * `pairgate-login-key:v1:<username>:<timestamp>` (same RSASSA-PSS parameters as the challenge),
 * with the username as the hub reads it (trimmed, lower case) and the timestamp an ISO 8601 UTC
 * instant. The hub accepts it within this many seconds either side of its own clock, once.
 */
export const LOGIN_KEY_PROOF_PREFIX = "pairgate-login-key:v1";
export const LOGIN_KEY_PROOF_MAX_SKEW_SECONDS = 60;

/** The exact bytes a client signs to show, before any challenge, that it holds a key the account knows. */
export function loginKeyProofMessage(username: string, timestamp: string): string {
  return `${LOGIN_KEY_PROOF_PREFIX}:${username.trim().toLowerCase()}:${timestamp}`;
}

/** The exact bytes a client signs to prove it holds its key for one login challenge. */
export function loginSignatureMessage(challengeId: string, nonce: string): string {
  return `${LOGIN_SIGNATURE_PREFIX}:${challengeId}:${nonce}`;
}

/** HOTP (RFC 4226) as PairGate runs it: SHA-1, 6 digits, 160-bit secrets (section 4). */
export const HOTP_DIGITS = 6;
export const HOTP_ALGORITHM = "SHA1";
export const HOTP_SECRET_BYTES = 20;

export const BINDING_CODE_LENGTH = 8;
export const BINDING_CODE_TTL_SECONDS = 5 * 60;
/** Crockford base32: no I, L, O or U, so codes survive being read aloud and retyped. */
export const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const BINDING_CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{4}-?[0-9A-HJKMNP-TV-Z]{4}$/;

export const DEVICE_NAME_MAX_LENGTH = 64;
/**
 * Typed number matching ("verified push"): the client shows a two-digit number (10 to 99) and the
 * person types it on the device, which is never told it. A person who approves without looking
 * passes one time in 90, and a wrong number denies the login.
 */
export const NUMBER_MATCH_MIN = 10;
export const NUMBER_MATCH_MAX = 99;
/**
 * After a "this wasn't me" denial, no login request is pushed to the account's devices for this
 * long: whoever knows the password can no longer ask; the owner logs in with a typed code or a
 * recovery code meanwhile.
 */
export const PUSH_HOLD_AFTER_NOT_ME_SECONDS = 30 * 60;

/** Codes sent by email (verification, password reset, adding a client key): 6 digits. */
export const EMAIL_CODE_DIGITS = 6;
export const EMAIL_VERIFICATION_TTL_SECONDS = 24 * 60 * 60;
export const PASSWORD_RESET_TTL_SECONDS = 10 * 60; // ASVS 5 6.5.5: out-of-band codes at most 10 minutes
export const CLIENT_KEY_CODE_TTL_SECONDS = 10 * 60;
export const EMAIL_CODE_MAX_ATTEMPTS = 5;

/** Recovery codes: 10 single-use codes of 10 Crockford base32 characters (50 bits), shown XXXXX-XXXXX. */
export const RECOVERY_CODE_COUNT = 10;
export const RECOVERY_CODE_LENGTH = 10;

export const MESSAGE_MAX_LENGTH = 2000;
/** A message to someone with no client listening waits this long, at most, to be read. */
export const WAITING_MESSAGE_TTL_SECONDS = 7 * 24 * 60 * 60;
/** Messages that may wait for one recipient, so that nobody can fill the hub's storage. */
export const WAITING_MESSAGES_PER_RECIPIENT_MAX = 100;
export const ADMIN_PAGE_MAX = 100;

/** Emails with codes (verification, reset, a new client key): per account and per address, so the hub cannot flood a mailbox. */
export const CODE_MAILS_PER_MINUTE = 3;
