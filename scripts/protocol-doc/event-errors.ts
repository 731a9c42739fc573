import type { ClientEventName, ConnectErrorCode, ErrorCode, EventDefinition } from "#protocol";

/**
 * The codes each event answers for reasons of its own, kept by hand from the hub's handlers
 * (server/). The codes every event can answer are added by `errorsOf`, so they are not repeated.
 */
export const EVENT_ERRORS: { [E in ClientEventName]: readonly ErrorCode[] } = {
  "account:register": ["invalid_public_key", "username_taken", "email_taken", "weak_password", "rate_limited"],
  "auth:login": ["invalid_credentials", "rate_limited"],
  "auth:complete": ["challenge_not_found", "challenge_used", "challenge_expired", "invalid_signature"],
  "auth:logout": [],
  "auth:logout-all": [],
  "account:me": [],
  "password:change": ["invalid_credentials", "weak_password", "rate_limited"],
  "session:list": [],
  "session:revoke": ["session_not_found"],
  "audit:list": [],
};

/** What the event router itself may answer, before or around any handler. */
export const COMMON_ERRORS: readonly ErrorCode[] = ["invalid_request", "rate_limited", "internal_error"];
/** Added for events that need a session. */
export const SESSION_ERRORS: readonly ErrorCode[] = ["unauthorized"];

export interface EventErrors {
  specific: readonly ErrorCode[];
  common: readonly ErrorCode[];
}

export function errorsOf(name: ClientEventName, definition: EventDefinition): EventErrors {
  const specific = EVENT_ERRORS[name];
  if (specific === undefined) throw new Error(`No error list for "${name}": add it to EVENT_ERRORS in scripts/protocol-doc/event-errors.ts`);
  const common = [...(definition.access === "session" ? SESSION_ERRORS : []), ...COMMON_ERRORS];
  return { specific, common: common.filter((code) => !specific.includes(code)) };
}

/** Why the hub refuses a handshake, by the code in `err.data.code`. */
export const CONNECT_ERROR_MEANINGS: Record<ConnectErrorCode, string> = {
  invalid_token: "The token names no session (never issued, logged out or revoked). Log in again.",
  session_expired: "The session reached its absolute or idle limit and was deleted. Log in again.",
  invalid_handshake: "The `auth` object is malformed (the token is not a string of sensible length), or the hub could not check it; retrying may help.",
};
