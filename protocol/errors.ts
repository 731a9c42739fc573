/**
 * The one table of error codes. Codes are for programs and never change meaning;
 * messages are for people and may be reworded. `httpStatus` is what the REST mirror answers.
 */
export const ERROR_CODES = {
  invalid_request: { httpStatus: 400, message: "The request is not valid." },
  unknown_event: { httpStatus: 404, message: "The hub does not know this event." },
  unauthorized: { httpStatus: 401, message: "Log in first: this event needs a session." },
  forbidden: { httpStatus: 403, message: "You are not allowed to do this." },
  not_found: { httpStatus: 404, message: "Nothing was found." },
  invalid_credentials: { httpStatus: 401, message: "The username or password is wrong." },
  username_taken: { httpStatus: 409, message: "That username is already taken." },
  email_taken: { httpStatus: 409, message: "That email address is already registered." },
  weak_password: { httpStatus: 422, message: "The password does not meet the password policy." },
  invalid_public_key: { httpStatus: 422, message: "The public key is not an RSA key of 2048 bits or more in SPKI PEM form." },
  challenge_not_found: { httpStatus: 404, message: "No such login challenge." },
  challenge_expired: { httpStatus: 410, message: "The login challenge has expired; log in again." },
  challenge_used: { httpStatus: 409, message: "The login challenge was already used; log in again." },
  invalid_signature: { httpStatus: 401, message: "The key signature does not match this account's key." },
  otp_required: { httpStatus: 401, message: "This account has a second factor: give its device's current code (or approve the login on the PairGate authenticator)." },
  invalid_otp: { httpStatus: 401, message: "The one-time code is wrong or was already used." },
  otp_locked: { httpStatus: 423, message: "Too many wrong codes: code checks for this device are locked (for a while, or until its owner unlocks it)." },
  challenge_denied: { httpStatus: 403, message: "The login was denied on the paired device." },
  invalid_binding_code: { httpStatus: 401, message: "The binding code is wrong, used or expired." },
  device_not_found: { httpStatus: 404, message: "No such device on this account." },
  enrolment_not_found: { httpStatus: 404, message: "No such enrolment: it expired, was finished, or was started by another session." },
  email_not_verified: { httpStatus: 403, message: "Confirm the email address first, with the code sent to it." },
  invalid_code: { httpStatus: 401, message: "The code is wrong, used or expired." },
  account_locked: { httpStatus: 423, message: "This account is locked by an administrator." },
  key_verification_required: { httpStatus: 401, message: "This machine's key is new to the account: give a second proof to add it." },
  recipient_offline: { httpStatus: 409, message: "The recipient has no client connected." },
  user_not_found: { httpStatus: 404, message: "No such user." },
  mail_unavailable: { httpStatus: 503, message: "The hub could not send the email; nothing was changed. Try again later." },
  session_not_found: { httpStatus: 404, message: "No such session." },
  reauthentication_required: {
    httpStatus: 403,
    message: "This action needs a fresh proof: send session:reauthenticate with the password or a device's code, then try again.",
  },
  unavailable: { httpStatus: 503, message: "A service the hub depends on is unreachable; nothing was changed. Try again shortly." },
  rate_limited: { httpStatus: 429, message: "Too many attempts; wait and try again." },
  internal_error: { httpStatus: 500, message: "The hub failed to handle the request." },
} as const satisfies Record<string, { httpStatus: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_NAMES = Object.keys(ERROR_CODES) as ErrorCode[];

/**
 * Codes carried by `connect_error` (in `err.data.code`) when the hub refuses a handshake.
 */
export const CONNECT_ERROR_CODES = ["invalid_token", "session_expired", "invalid_handshake", "invalid_device_token", "too_many_connections", "origin_not_allowed", "unavailable"] as const;
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

/** Why the hub refuses a handshake, by the code in `err.data.code`. */
export const CONNECT_ERROR_MEANINGS: Record<ConnectErrorCode, { namespace: "/client" | "/device"; meaning: string }> = {
  invalid_token: { namespace: "/client", meaning: "The token names no session (never issued, logged out, revoked, or past its time limits and swept away). Log in again." },
  session_expired: { namespace: "/client", meaning: "The session reached its absolute or idle limit and was deleted now; one found past its limits by the hub's sweep (every 10 minutes) is answered invalid_token. Log in again." },
  invalid_handshake: {
    namespace: "/client",
    meaning: "The `auth` object is malformed (the token is not a string of sensible length), or the hub failed to check it; retrying may help.",
  },
  invalid_device_token: {
    namespace: "/device",
    meaning:
      "`deviceId` and `deviceToken` name no paired device: never paired, or unpaired since (`device:revoke`). Pair again with a new binding code. (Credentials that are not both strings of sensible length are refused with `invalid_handshake`.)",
  },
  origin_not_allowed: {
    namespace: "/client",
    meaning:
      "On `/client` and on `/device`: the handshake's `Origin` header names a page of another site than the hub itself, or a handshake that logs in with the browser's session cookie carries no `Origin` at all (browsers send it on WebSocket handshakes: a page connects with `transports: [\"websocket\"]`). Terminal programs send no `Origin` and are not concerned.",
  },
  unavailable: {
    namespace: "/client",
    meaning:
      "On `/client` and on `/device`: the handshake carries a session token or device credentials, and the hub cannot reach its database to check them (an outage; `GET /api/health` names it). Says nothing about the credentials: keep them and connect again after a few seconds.",
  },
  too_many_connections: {
    namespace: "/client",
    meaning:
      "On `/client` and on `/device`: the address (an IPv6 address counts as its /64) already holds 20 sockets of that namespace that carry no credentials and have not logged in. Close some, or log in on one. A socket without credentials that sends no event within 10 s of connecting is closed by the hub.",
  },
};
