import type { ErrorCode } from "#protocol";

/**
 * What `pairgate` exits with. Scripts may rely on these numbers; they never change meaning.
 *
 * | code | meaning |
 * | --- | --- |
 * | 0 | done |
 * | 1 | failed: the hub refused, or something else went wrong |
 * | 2 | usage: bad arguments or input, or a prompt was needed with no terminal |
 * | 3 | not authenticated: not logged in, session ended, wrong password, key, passphrase or code, account not usable yet (email not confirmed) or locked |
 * | 4 | rate limited: wait and try again |
 * | 5 | hub unreachable, timed out, or its TLS certificate was not trusted |
 * | 130 | interrupted (Ctrl+C at a prompt), as shells report SIGINT |
 */
export const EXIT_CODES = {
  ok: 0,
  failure: 1,
  usage: 2,
  notAuthenticated: 3,
  rateLimited: 4,
  hubUnreachable: 5,
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Exit code for each protocol error; typed so that a new protocol code must be placed here. */
export const EXIT_CODE_BY_ERROR: { [C in ErrorCode]: ExitCode } = {
  invalid_request: EXIT_CODES.usage,
  unknown_event: EXIT_CODES.failure,
  unauthorized: EXIT_CODES.notAuthenticated,
  forbidden: EXIT_CODES.failure,
  not_found: EXIT_CODES.failure,
  invalid_credentials: EXIT_CODES.notAuthenticated,
  reauthentication_required: EXIT_CODES.notAuthenticated,
  username_taken: EXIT_CODES.failure,
  email_taken: EXIT_CODES.failure,
  weak_password: EXIT_CODES.failure,
  invalid_public_key: EXIT_CODES.failure,
  challenge_not_found: EXIT_CODES.notAuthenticated,
  challenge_expired: EXIT_CODES.notAuthenticated,
  challenge_used: EXIT_CODES.notAuthenticated,
  invalid_signature: EXIT_CODES.notAuthenticated,
  otp_required: EXIT_CODES.notAuthenticated,
  invalid_otp: EXIT_CODES.notAuthenticated,
  // A lock on code checks ends by itself, like a rate limit: waiting is the remedy.
  otp_locked: EXIT_CODES.rateLimited,
  challenge_denied: EXIT_CODES.notAuthenticated,
  invalid_binding_code: EXIT_CODES.notAuthenticated,
  device_not_found: EXIT_CODES.failure,
  enrolment_not_found: EXIT_CODES.failure,
  // The account exists but cannot be used yet or any more: like a wrong password, it is about who you are.
  email_not_verified: EXIT_CODES.notAuthenticated,
  invalid_code: EXIT_CODES.notAuthenticated,
  account_locked: EXIT_CODES.notAuthenticated,
  key_verification_required: EXIT_CODES.notAuthenticated,
  recipient_offline: EXIT_CODES.failure,
  user_not_found: EXIT_CODES.failure,
  // Not the hub being unreachable (5): the hub answered, its mail relay did not.
  mail_unavailable: EXIT_CODES.failure,
  unavailable: EXIT_CODES.failure,
  session_not_found: EXIT_CODES.failure,
  rate_limited: EXIT_CODES.rateLimited,
  internal_error: EXIT_CODES.failure,
};
