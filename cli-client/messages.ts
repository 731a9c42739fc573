import { devicesInWords, type ProtocolError } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { type ErrorSentenceOverrides, protocolErrorDescriber } from "../terminal/error-sentences.ts";
import { EXIT_CODE_BY_ERROR, EXIT_CODES } from "../terminal/exit-codes.ts";
import type { ConnectFailure } from "../terminal/hub-connection.ts";
import type { HubTarget } from "../terminal/hub-settings.ts";
import { needsTerminal } from "../terminal/hidden-input.ts";
import { formatTime } from "../terminal/output.ts";
import { formatWait } from "../terminal/wait-time.ts";

/** The client's own words where the shared sentence would not name the command to run. */
const CLIENT_ERROR_SENTENCES: ErrorSentenceOverrides = {
  unauthorized: () => "You are not logged in, or your session has ended. Run `pairgate login` again.",
  invalid_public_key: () =>
    "The hub refused this machine's public key (it must be RSA of 2048 bits or more). Run `pairgate keys generate --force`.",
  otp_required: (error) => {
    const { noun, approves } = devicesInWords(error.deviceKinds);
    return `Give the current code from ${noun} with --otp${approves ? ", or approve the login on the device" : ""} (or a recovery code with --recovery-code).`;
  },
  device_not_found: () => "This account has no device with that id. Run `pairgate device list` to list them.",
  email_not_verified: () =>
    "Confirm the account's email address first: run `pairgate verify-email --username NAME` with the code the hub emailed (`pairgate resend-verification --username NAME` sends a new one).",
  key_verification_required: (error) => {
    const { noun, approves } = devicesInWords(error.deviceKinds);
    const proofs = `${approves ? "approve on the paired device, " : ""}--otp with the current code from ${noun}, or --recovery-code`;
    return `This machine's key is new to the account: add it with a second proof (${proofs}; with no device, --email-code and the code the hub emailed).`;
  },
  invalid_otp: (error) => `The one-time code is wrong or was already used; ${triesLeftSentence(error.triesLeft, "type the device's current code")}`,
  otp_locked: (error) => {
    const { noun, approves } = devicesInWords(error.deviceKinds);
    const blocked = approves ? "neither its code nor an approval" : "none of its codes";
    return `Too many wrong codes: ${noun} is locked${lockEnd(error.retryAfterSeconds)}, so ${blocked} can pass. A recovery code still works: log in with --recovery-code XXXXX-XXXXX.`;
  },
  invalid_code: (error) =>
    error.triesLeft === undefined ? sharedSentence(error) : `The recovery code is wrong or was already used; ${triesLeftSentence(error.triesLeft, "type a code")}`,
  session_not_found: () => "There is no active session with that id. Run `pairgate sessions` to list them.",
};

const sharedSentence = protocolErrorDescriber({});
export const describeProtocolError = protocolErrorDescriber(CLIENT_ERROR_SENTENCES);

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
  needsTerminal,
  badInput: (message: string) => new CliFailure("invalid_input", message, EXIT_CODES.usage),
};
