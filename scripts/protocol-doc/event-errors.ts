import { ERROR_CODES, type ClientEventName, type ConnectErrorCode, type DeviceEventName, type ErrorCode, type EventDefinition } from "#protocol";

/**
 * A code an event answers for a reason of its own; with a second element, what the code means
 * for this event when the shared table's sentence says too little.
 */
export type ErrorEntry = ErrorCode | readonly [ErrorCode, string];

const LOG_IN_AGAIN = "log in again.";
const RESYNC_HINT = "then the device's next code resynchronises it";

/**
 * The codes each `/client` event answers for reasons of its own, kept by hand from the hub's
 * handlers (server/). The codes every event can answer are added by `errorsOf`, so they are not repeated.
 */
export const EVENT_ERRORS: { [E in ClientEventName]: readonly ErrorEntry[] } = {
  "account:register": ["invalid_public_key", "username_taken", "email_taken", "weak_password", "rate_limited"],
  "auth:login": ["invalid_credentials", "rate_limited"],
  "auth:complete": [
    "challenge_not_found",
    ["challenge_denied", `The login was denied on the paired device, or the wrong number was picked there; ${LOG_IN_AGAIN}`],
    [
      "otp_required",
      "The account has a paired device, `otp` is missing and no device has approved the login yet. The challenge is not used up: send the code, or wait for `challenge:approved`.",
    ],
    "challenge_used",
    "challenge_expired",
    "invalid_signature",
    ["invalid_otp", `The code matches none of the account's devices: wrong, already used, or far ahead (${RESYNC_HINT}). The challenge is used up; ${LOG_IN_AGAIN}`],
    ["otp_locked", "Too many wrong codes in a row: code checks for the account's devices are locked; `retryAfterSeconds` says for how long."],
  ],
  "auth:logout": [],
  "auth:logout-all": [],
  "account:me": [],
  "password:change": ["invalid_credentials", "weak_password", "rate_limited"],
  "session:list": [],
  "session:revoke": ["session_not_found"],
  "audit:list": [],
  "device:create-binding-code": [],
  "device:list": [],
  "device:rename": ["device_not_found"],
  "device:revoke": ["device_not_found"],
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
/** Added for events that need credentials: a session on `/client`, a paired device on `/device`. */
export const ACCESS_ERRORS: Readonly<Record<EventDefinition["access"], readonly ErrorCode[]>> = {
  anonymous: [],
  session: ["unauthorized"],
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
  invalid_token: { namespace: "/client", meaning: "The token names no session (never issued, logged out or revoked). Log in again." },
  session_expired: { namespace: "/client", meaning: "The session reached its absolute or idle limit and was deleted. Log in again." },
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
