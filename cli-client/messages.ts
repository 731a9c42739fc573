import type { ErrorCode, ErrorDetail, ProtocolError } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR, EXIT_CODES } from "../terminal/exit-codes.ts";
import type { ConnectFailure } from "../terminal/hub-connection.ts";
import type { HubTarget } from "../terminal/hub-settings.ts";
import { formatTime } from "../terminal/output.ts";
import { formatWait } from "../terminal/wait-time.ts";

/** `invalid_code` covers every typed code; the hub names the field, which says which code it was. */
const INVALID_CODE_SENTENCES: Record<string, string> = {
  code: "The code is wrong, already used or expired (each code works once, and a few wrong tries end it); ask for a new one if needed.",
  recoveryCode: "The recovery code is wrong or was already used; each recovery code works once.",
  emailCode: "The emailed code for adding this machine's key is wrong, used or expired; log in again without it to get a new one.",
};

/**
 * One sentence per protocol error code, written for the person at the terminal. Typed as a
 * complete map, so a code added to protocol/errors.ts does not compile until it is worded here.
 */
const PROTOCOL_ERROR_SENTENCES: { [C in ErrorCode]: (error: ProtocolError) => string } = {
  invalid_request: (error) => withDetails("The hub did not accept the input.", error.details),
  unknown_event: () => "The hub does not know this request; the hub and this client may be different versions.",
  unauthorized: () => "You are not logged in, or your session has ended. Run `pairgate login` again.",
  forbidden: () => "Your account is not allowed to do this.",
  not_found: () => "The hub found nothing matching the request.",
  invalid_credentials: () => "The username or password is wrong.",
  username_taken: () => "That username is already taken; choose another one.",
  email_taken: () => "That email address is already registered; log in instead, or use another address.",
  // The hub words the policy's reasons; its details, when given, already say each one.
  // The reasons only: the field name (newPassword) means nothing to the person who typed it.
  weak_password: (error) =>
    error.details?.length ? `The password was refused: ${error.details.map((detail) => detail.message).join(" ")}` : `The password was refused: ${error.message}`,
  invalid_public_key: () =>
    "The hub refused this machine's public key (it must be RSA of 2048 bits or more). Run `pairgate keys generate --force`.",
  challenge_not_found: () => "The hub no longer knows this login attempt; log in again.",
  challenge_expired: () => "The login took too long and its challenge expired; log in again.",
  challenge_used: () => "This login challenge was already used; log in again.",
  invalid_signature: () =>
    "The hub did not accept this machine's key signature: the account was registered with a different key.",
  otp_required: () => "This account has a paired device: give its current code with --otp, or approve the login on the device.",
  invalid_otp: (error) => `The one-time code is wrong or was already used; ${triesLeftSentence(error.triesLeft, "type the device's current code")}`,
  otp_locked: (error) =>
    `Too many wrong codes: the paired device is locked${lockEnd(error.retryAfterSeconds)}, so neither its code nor an approval can pass. A recovery code still works: log in with --recovery-code XXXXX-XXXXX.`,
  challenge_denied: () => "The login was denied on the paired device.",
  invalid_binding_code: () => "The binding code is wrong, already used or expired; ask for a new one.",
  device_not_found: () => "This account has no device with that id. Run `pairgate device list` to list them.",
  email_not_verified: () =>
    "Confirm the account's email address first: run `pairgate verify-email --username NAME` with the code the hub emailed (`pairgate resend-verification --username NAME` sends a new one).",
  invalid_code: (error) => {
    const sentence = INVALID_CODE_SENTENCES[error.details?.[0]?.path ?? ""] ?? INVALID_CODE_SENTENCES.code!;
    return error.triesLeft === undefined ? sentence : `The recovery code is wrong or was already used; ${triesLeftSentence(error.triesLeft, "type a code")}`;
  },
  account_locked: () => "This account is locked by an administrator; ask them to unlock it.",
  key_verification_required: () =>
    "This machine's key is new to the account: add it with a second proof (approve on the paired device, --otp or --recovery-code; with no device, --email-code and the code the hub emailed).",
  recipient_offline: () => "The recipient is not connected and has too many messages waiting already; send it again later.",
  user_not_found: () => "There is no such user on the hub.",
  mail_unavailable: () => "The hub could not send the email, so nothing was changed. Try again later, or ask the hub's operator to check its mail settings.",
  unavailable: () => "A service the hub depends on is unreachable, so nothing was changed. Try again shortly.",
  session_not_found: () => "There is no active session with that id. Run `pairgate sessions` to list them.",
  rate_limited: (error) => `Too many attempts; try again in ${formatWait(error.retryAfterSeconds)}.`,
  internal_error: () => "The hub failed to handle the request. Try again later, or ask the hub's operator to check its log.",
};

/** What a wrong code leaves: tries within this login, or none (a code given with a flag has no second try here). */
function triesLeftSentence(triesLeft: number | undefined, retry: string): string {
  if (triesLeft === undefined) return "try again with the device's next code.";
  if (triesLeft === 0) return "that was this login's last try, so log in again.";
  // Without a terminal nothing can be asked again: the command ends here.
  if (!process.stdin.isTTY) return "log in again with the device's current code.";
  return `${retry} again (${triesLeft} ${triesLeft === 1 ? "try" : "tries"} left for this login).`;
}

/** ` until 14:03 (in 15 minutes)`, from the hub's wait. */
function lockEnd(retryAfterSeconds: number | undefined): string {
  if (retryAfterSeconds === undefined) return " for a while";
  const until = new Date(Date.now() + retryAfterSeconds * 1000);
  return ` until ${formatTime(until.toISOString())} (${formatWait(retryAfterSeconds)} from now)`;
}

export function describeProtocolError(error: ProtocolError): string {
  const sentence = PROTOCOL_ERROR_SENTENCES[error.code];
  // A hub newer than this client may send a code this table does not know yet.
  return sentence ? sentence(error) : `The hub refused the request: ${error.message}`;
}

export function failureFromProtocolError(error: ProtocolError): CliFailure {
  const extra: Record<string, unknown> = {};
  if (error.details) extra.details = error.details;
  if (error.retryAfterSeconds !== undefined) extra.retryAfterSeconds = error.retryAfterSeconds;
  return new CliFailure(error.code, describeProtocolError(error), EXIT_CODE_BY_ERROR[error.code] ?? EXIT_CODES.failure, extra);
}

/** The sentence for a connection that could not be made or was lost. */
export function failureFromConnectFailure(failure: ConnectFailure, target: HubTarget): CliFailure {
  const hub = target.url;
  const unreachable = (code: string, message: string) => new CliFailure(code, message, EXIT_CODES.hubUnreachable);
  switch (failure.kind) {
    case "refused":
      if (failure.code === "invalid_token" || failure.code === "session_expired") return clientFailures.sessionEnded();
      return new CliFailure(failure.code ?? "connection_refused", `The hub at ${hub} refused the connection: ${failure.message}`, EXIT_CODES.failure);
    case "tls": {
      const trusted = target.caFile ? `the CA in ${target.caFile}` : "the system's certificate authorities (no CA file found)";
      return unreachable(
        "tls_failure",
        `Could not verify the hub's TLS certificate at ${hub} against ${trusted}: ${failure.reason}. ` +
          "Pass the hub's CA with --ca FILE or PAIRGATE_CA.",
      );
    }
    case "unreachable":
      return unreachable(
        "hub_unreachable",
        `Cannot reach the hub at ${hub} (${failure.reason}). Is it running? Set the address with --hub or PAIRGATE_HUB.`,
      );
    case "timeout":
      return unreachable("hub_timeout", `The hub at ${hub} did not answer in time. Try again, or check that it is running.`);
    case "disconnected":
      return unreachable("hub_disconnected", `The connection to the hub at ${hub} was closed (${failure.reason}) before it answered.`);
    case "bad_reply":
      return new CliFailure(
        "bad_reply",
        `The hub at ${hub} gave an answer to ${failure.event} that this client does not understand; the two may be different versions.`,
        EXIT_CODES.failure,
      );
  }
}

/** Failures found by the client itself, before or without asking the hub. */
export const clientFailures = {
  notLoggedIn: () =>
    new CliFailure("not_logged_in", "You are not logged in. Run `pairgate login --username NAME` first.", EXIT_CODES.notAuthenticated),
  sessionEnded: () =>
    new CliFailure("session_ended", "Your session has ended (expired or revoked). Log in again with `pairgate login`.", EXIT_CODES.notAuthenticated),
  otherHub: (sessionHub: string, hub: string) =>
    new CliFailure(
      "not_logged_in",
      `You are logged in to ${sessionHub}, not to ${hub}. Run \`pairgate login --hub ${hub}\` first.`,
      EXIT_CODES.notAuthenticated,
    ),
  noKey: (path: string) =>
    new CliFailure("no_key", `There is no key pair at ${path}. Run \`pairgate keys generate\` first.`, EXIT_CODES.failure),
  keyExists: (path: string) =>
    new CliFailure(
      "key_exists",
      `A key pair already exists at ${path}. Use --force to replace it; accounts registered with the old key will then refuse this machine's logins.`,
      EXIT_CODES.failure,
    ),
  damagedKey: () =>
    new CliFailure(
      "damaged_key",
      "This machine's private key file is damaged (not an RSA private key in PEM form). Restore it from a backup, or make a new pair with `pairgate keys generate --force`; this machine then counts as new to your account.",
      EXIT_CODES.failure,
    ),
  wrongPassphrase: () =>
    new CliFailure("wrong_passphrase", "The passphrase does not open this machine's private key.", EXIT_CODES.notAuthenticated),
  needsTerminal: (what: string, alternative: string) =>
    new CliFailure("no_terminal", `Cannot ask for ${what}: there is no terminal. ${alternative}`, EXIT_CODES.usage),
  badInput: (message: string) => new CliFailure("invalid_input", message, EXIT_CODES.usage),
};

function withDetails(sentence: string, details: ErrorDetail[] | undefined): string {
  if (!details || details.length === 0) return sentence;
  const lines = details.map((detail) => `  - ${detail.path || "(input)"}: ${detail.message}`);
  return [sentence, ...lines].join("\n");
}
