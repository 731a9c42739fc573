import { EMAIL_CODE_MAX_ATTEMPTS, LOGIN_CHALLENGE_CODE_TRIES, ERROR_CODES, type ClientEventName, type ConnectErrorCode, type DeviceEventName, type ErrorCode, type EventDefinition } from "#protocol";
import { DEFAULT_RATE_LIMITS } from "../../server/rate-limits.ts";

/**
 * A code an event answers for a reason of its own; with a second element, what the code means
 * for this event when the shared table's sentence says too little.
 */
export type ErrorEntry = ErrorCode | readonly [ErrorCode, string];

const LOG_IN_AGAIN = "log in again.";

/** "3 a minute": a rate limit as the docs state it, from the hub's defaults. */
function perWindow({ points, durationSeconds }: { points: number; durationSeconds: number }): string {
  return durationSeconds === 60 ? `${points} a minute` : `${points} per ${durationSeconds} s`;
}
const RESYNC_HINT = "then the device's next code resynchronises it";

/**
 * The codes each `/client` event answers for reasons of its own, kept by hand from the hub's
 * handlers (server/). The codes every event can answer are added by `errorsOf`, so they are not repeated.
 */
export const EVENT_ERRORS: { [E in ClientEventName]: readonly ErrorEntry[] } = {
  "account:register": [
    "invalid_public_key",
    "username_taken",
    "email_taken",
    "weak_password",
    ["mail_unavailable", "The verification email could not be sent, so the account was not created; the same username can be registered again later."],
    ["rate_limited", "Too many registrations from this address; wait `retryAfterSeconds`."],
  ],
  "account:verify-email": [
    [
      "invalid_code",
      `The code is wrong, used, expired or out of tries (${EMAIL_CODE_MAX_ATTEMPTS}), or there is no unverified account of that name: one answer for all, so it tells nothing about which accounts exist. Ask for a new code with \`account:resend-verification\`.`,
    ],
    ["rate_limited", "Wrong codes count against the login limits for the account and the address; wait `retryAfterSeconds`."],
  ],
  "account:resend-verification": [["rate_limited", `${perWindow(DEFAULT_RATE_LIMITS.verificationMailsPerAccount)} per username and per address, counted whether or not the account exists.`]],
  "auth:login": [
    "invalid_credentials",
    ["email_not_verified", "The password is right but the email address is not confirmed yet: send `account:verify-email` with the emailed code first."],
    ["account_locked", "The password is right but an administrator has locked the account."],
    "rate_limited",
  ],
  "auth:complete": [
    "challenge_not_found",
    ["challenge_denied", `The login was denied on the paired device, or the wrong number was picked there; ${LOG_IN_AGAIN}`],
    [
      "otp_required",
      "The account has a paired device, and neither `otp` nor `recoveryCode` was given, nor has a device approved the login yet. The challenge is not used up: send the code, or wait for `challenge:approved`.",
    ],
    [
      "key_verification_required",
      "The signature is by `publicKey`, a key the account does not hold yet, and no second proof came with it: approve on the device or give `otp` or `recoveryCode`; with no device, the hub has just emailed a code to give as `emailCode`. The challenge is not used up.",
    ],
    "challenge_used",
    "challenge_expired",
    ["invalid_signature", "The signature matches none of the account's keys (nor `publicKey`, when sent)."],
    ["invalid_public_key", "`publicKey` is not an RSA key of 2048 bits or more in SPKI PEM form."],
    [
      "invalid_otp",
      `The code matches none of the account's devices: wrong, already used, or far ahead (${RESYNC_HINT}). \`triesLeft\` says how many more codes this challenge takes (${LOGIN_CHALLENGE_CODE_TRIES} in all); at 0 the challenge is used up and ${LOG_IN_AGAIN}`,
    ],
    ["otp_locked", "Too many wrong codes in a row: the account's devices are locked (codes and approvals); `retryAfterSeconds` says for how long. The challenge stays open: a `recoveryCode` still completes it."],
    [
      "invalid_code",
      `\`recoveryCode\` is wrong or already used (with \`triesLeft\`, counted with the device's codes), or \`emailCode\` is wrong, used or expired (the challenge is used up); \`details\` names the field. At \`triesLeft\` 0, ${LOG_IN_AGAIN}`,
    ],
    ["account_locked", "An administrator locked the account after the challenge was opened."],
    ["mail_unavailable", "The code for adding `publicKey` could not be emailed; try again later."],
    ["rate_limited", "Too many wrong recovery or emailed codes for the account, or too many emailed codes asked for; wait `retryAfterSeconds`."],
  ],
  "auth:logout": [],
  "auth:logout-all": [],
  "account:me": [],
  "password:change": ["invalid_credentials", "weak_password", "rate_limited"],
  "password:forgot": [["rate_limited", `${perWindow(DEFAULT_RATE_LIMITS.resetMailsPerAccount)} per name as typed and per address, counted whether or not the account exists.`]],
  "password:reset": [
    [
      "invalid_code",
      `The emailed code is wrong, used, expired or out of tries (${EMAIL_CODE_MAX_ATTEMPTS}), or there is no such account (one answer for all); or \`recoveryCode\` is wrong or used (\`details\` names the field).`,
    ],
    ["otp_required", "The account has a paired device: give its current code as `otp`, or a recovery code as `recoveryCode`. The emailed code is not used up."],
    ["weak_password", "`newPassword` does not meet the password policy; the emailed code is not used up."],
    "invalid_otp",
    "otp_locked",
    ["rate_limited", "Wrong codes count against the login limits for the account and the address; wait `retryAfterSeconds`."],
  ],
  "recovery:generate": [],
  "session:list": [],
  "session:revoke": ["session_not_found"],
  "audit:list": [],
  "key:list": [],
  "key:remove": [
    ["not_found", "No key with this id on the account."],
    ["forbidden", "The key is the one this session logged in with, or the account's only key."],
  ],
  "message:send": [
    ["user_not_found", "No user has that username."],
    ["recipient_offline", "The recipient has no client listening and already has the most messages that may wait."],
    ["invalid_request", "Besides a payload that does not fit: the text holds control characters other than newlines and tabs."],
    ["rate_limited", "Too many messages from this account in a short time; wait `retryAfterSeconds`."],
  ],
  "message:listen": [
    ["user_not_found", "No user has the `peer` username."],
    ["rate_limited", "Too many messages and look-ups from this account in a short time; wait `retryAfterSeconds`."],
  ],
  "device:create-binding-code": [],
  "device:list": [],
  "device:rename": ["device_not_found"],
  "device:revoke": ["device_not_found"],
  "admin:list-users": [],
  "admin:update-user": [
    ["user_not_found", "No user has this id."],
    ["email_taken", "Another account already uses that email address."],
    ["forbidden", "Besides a caller who is not an administrator: an administrator may not remove their own admin role."],
  ],
  "admin:lock-user": [
    ["user_not_found", "No user has this id."],
    ["forbidden", "Besides a caller who is not an administrator: an administrator may not lock their own account."],
  ],
  "admin:unlock-user": [["user_not_found", "No user has this id."]],
  "admin:delete-user": [
    ["user_not_found", "No user has this id."],
    ["forbidden", "Besides a caller who is not an administrator: an administrator may not delete their own account."],
  ],
};

const ALREADY_DECIDED = "The login was already approved, denied or completed (perhaps on another device).";

/** The same, for `/device` events. */
export const DEVICE_EVENT_ERRORS: { [E in DeviceEventName]: readonly ErrorEntry[] } = {
  "device:bind": [
    "invalid_binding_code",
    ["rate_limited", "Too many wrong binding codes from this address, or too many binding attempts on the hub as a whole; wait `retryAfterSeconds`."],
  ],
  "challenge:list": [],
  "challenge:approve": [
    "challenge_not_found",
    ["challenge_used", ALREADY_DECIDED],
    "challenge_expired",
    ["challenge_denied", "The number picked is not the one the client shows: the login is now denied, and the attempt is in the audit log."],
    ["invalid_otp", `This device's code is wrong, already used, or far ahead (${RESYNC_HINT}). The login stays open.`],
    ["otp_locked", "Too many wrong codes in a row: this device's code checks are locked; `retryAfterSeconds` says for how long."],
  ],
  "challenge:deny": ["challenge_not_found", ["challenge_used", ALREADY_DECIDED], "challenge_expired"],
};

/** What the event router itself may answer, before or around any handler. */
export const COMMON_ERRORS: readonly ErrorCode[] = ["invalid_request", "rate_limited", "internal_error"];
/** Added for events that need credentials: a session on `/client` (and role `admin` for admin events), a paired device on `/device`. */
export const ACCESS_ERRORS: Readonly<Record<EventDefinition["access"], readonly ErrorCode[]>> = {
  anonymous: [],
  session: ["unauthorized"],
  admin: ["unauthorized", "forbidden"],
  device: ["unauthorized"],
};

export interface EventError {
  code: ErrorCode;
  meaning: string;
}

export interface EventErrors {
  specific: readonly EventError[];
  common: readonly ErrorCode[];
}

export function errorsOf(name: string, definition: EventDefinition): EventErrors {
  const table: Readonly<Record<string, readonly ErrorEntry[]>> = definition.namespace === "/device" ? DEVICE_EVENT_ERRORS : EVENT_ERRORS;
  if (!Object.hasOwn(table, name)) {
    const tableName = definition.namespace === "/device" ? "DEVICE_EVENT_ERRORS" : "EVENT_ERRORS";
    throw new Error(`No error list for "${name}": add it to ${tableName} in scripts/protocol-doc/event-errors.ts`);
  }
  const specific = table[name]!.map((entry): EventError =>
    typeof entry === "string" ? { code: entry, meaning: ERROR_CODES[entry].message } : { code: entry[0], meaning: entry[1] },
  );
  const codes = specific.map((error) => error.code);
  const common = [...ACCESS_ERRORS[definition.access], ...COMMON_ERRORS];
  return { specific, common: common.filter((code) => !codes.includes(code)) };
}

/** Why the hub refuses a handshake, by the code in `err.data.code`. */
export const CONNECT_ERROR_MEANINGS: Record<ConnectErrorCode, { namespace: "/client" | "/device"; meaning: string }> = {
  invalid_token: { namespace: "/client", meaning: "The token names no session (never issued, logged out, revoked, or past its time limits and swept away). Log in again." },
  session_expired: { namespace: "/client", meaning: "The session reached its absolute or idle limit and was deleted now; one found past its limits by the hub's sweep (every 10 minutes) is answered invalid_token. Log in again." },
  invalid_handshake: {
    namespace: "/client",
    meaning: "The `auth` object is malformed (the token is not a string of sensible length), or the hub could not check it; retrying may help.",
  },
  invalid_device_token: {
    namespace: "/device",
    meaning:
      "`deviceId` and `deviceToken` are not both strings of sensible length, or name no paired device: never paired, or unpaired since (`device:revoke`). Pair again with a new binding code. The hub also answers it when it could not check the token, so retry a few times before discarding the device's account.",
  },
};
