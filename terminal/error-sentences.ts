import type { ErrorCode, ErrorDetail, ProtocolError } from "#protocol";
import { formatWait } from "./wait-time.ts";

/** The words for one refusal; it may read the error's details and retry time. */
export type ErrorSentence = (error: ProtocolError) => string;
/** A program's own words for the codes where the shared sentence would not fit it (a command to run, a screen's wording). */
export type ErrorSentenceOverrides = Partial<Record<ErrorCode, ErrorSentence>>;

/** `invalid_code` covers every typed code; the hub names the field, which says which code it was. */
const INVALID_CODE_SENTENCES: Record<string, string> = {
  code: "The code is wrong, already used or expired (each code works once, and a few wrong tries end it); ask for a new one if needed.",
  recoveryCode: "The recovery code is wrong or was already used; each recovery code works once.",
  emailCode: "The emailed code for adding this machine's key is wrong, used or expired; log in again without it to get a new one.",
};

/**
 * One sentence per protocol error code, for the person at either terminal program. Typed as a
 * complete map, so a code added to protocol/errors.ts does not compile until it is worded here.
 */
const ERROR_SENTENCES: { [C in ErrorCode]: ErrorSentence } = {
  invalid_request: (error) => withDetails("The hub did not accept the input.", error.details),
  unknown_event: () => "The hub does not know this request; the hub and this client may be different versions.",
  unauthorized: () => "You are not logged in, or your session has ended; log in again.",
  forbidden: () => "Your account is not allowed to do this.",
  not_found: () => "The hub found nothing matching the request.",
  invalid_credentials: () => "The username or password is wrong.",
  username_taken: () => "That username is already taken; choose another one.",
  email_taken: () => "That email address is already registered; log in instead, or use another address.",
  // The hub words the policy's reasons; the field name (newPassword) means nothing to the person who typed it.
  weak_password: (error) =>
    error.details?.length ? `The password was refused: ${error.details.map((detail) => detail.message).join(" ")}` : `The password was refused: ${error.message}`,
  invalid_public_key: () => "The hub refused this machine's public key (it must be RSA of 2048 bits or more).",
  challenge_not_found: () => "The hub no longer knows this login attempt; log in again.",
  challenge_expired: () => "The login took too long and its challenge expired; log in again.",
  challenge_used: () => "This login challenge was already used; log in again.",
  invalid_signature: () =>
    "The hub did not accept this machine's key signature: the account was registered with a different key.",
  otp_required: () => "This account has a paired device: give its current code, or approve the login on the device.",
  invalid_otp: () => "The one-time code is wrong or was already used; try again with the device's next code.",
  otp_locked: (error) =>
    `Too many wrong codes: code checks for this device are locked${error.retryAfterSeconds ? ` for ${formatWait(error.retryAfterSeconds)}` : " for a while"}.`,
  challenge_denied: () => "The login was denied on the paired device.",
  invalid_binding_code: () => "The binding code is wrong, already used or expired; ask for a new one.",
  device_not_found: () => "This account has no device with that id.",
  enrolment_not_found: () => "This enrolment is over (it expired after 10 minutes, took too many wrong codes, or was finished); start it again.",
  email_not_verified: () => "Confirm the account's email address first, with the code the hub emailed.",
  invalid_code: (error) => INVALID_CODE_SENTENCES[error.details?.[0]?.path ?? ""] ?? INVALID_CODE_SENTENCES.code!,
  account_locked: () => "This account is locked by an administrator; ask them to unlock it.",
  reauthentication_required: () => "This needs your password again (your last proof on this session is over 5 minutes old).",
  key_verification_required: () =>
    "This machine's key is new to the account: add it with a second proof (a device approval, a one-time code or a recovery code; with no device, the code the hub emailed).",
  recipient_offline: () => "The recipient is not connected and has too many messages waiting already; send it again later.",
  user_not_found: () => "There is no such user on the hub.",
  mail_unavailable: () => "The hub could not send the email, so nothing was changed. Try again later, or ask the hub's operator to check its mail settings.",
  unavailable: () => "A service the hub depends on is unreachable, so nothing was changed. Try again shortly.",
  session_not_found: () => "There is no active session with that id.",
  rate_limited: (error) => `Too many attempts; try again in ${formatWait(error.retryAfterSeconds)}.`,
  internal_error: () => "The hub failed to handle the request. Try again later, or ask the hub's operator to check its log.",
};

/** A program's describer: its overrides first, then the shared sentence, then the hub's own message. */
export function protocolErrorDescriber(overrides: ErrorSentenceOverrides): (error: ProtocolError) => string {
  return (error) => {
    const sentence = overrides[error.code] ?? ERROR_SENTENCES[error.code];
    // A hub newer than this program may send a code neither table knows yet.
    return sentence ? sentence(error) : `The hub refused the request: ${error.message}`;
  };
}

/** The sentence, then one indented line per invalid field. */
function withDetails(sentence: string, details: ErrorDetail[] | undefined): string {
  if (!details || details.length === 0) return sentence;
  const lines = details.map((detail) => `  - ${detail.path || "(input)"}: ${detail.message}`);
  return [sentence, ...lines].join("\n");
}
