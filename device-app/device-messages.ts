import type { ErrorCode, ProtocolError } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { type ErrorSentenceOverrides, protocolErrorDescriber } from "../terminal/error-sentences.ts";
import { EXIT_CODES, type ExitCode } from "../terminal/exit-codes.ts";
import type { ConnectFailure } from "../terminal/hub-connection.ts";
import type { TakenCode } from "./hotp-codes.ts";
import { describeOtpDataProblem } from "./otp-data.ts";
import { formatWait } from "../terminal/wait-time.ts";

/** The authenticator's own words: it answers login requests rather than logging in, and pairs rather than signs. */
const DEVICE_ERROR_SENTENCES: ErrorSentenceOverrides = {
  invalid_request: (error) =>
    `The hub did not accept the input${error.details?.length ? `: ${error.details.map((d) => `${d.path || "input"} ${d.message}`).join("; ")}` : "."}`,
  invalid_binding_code: () => "That binding code is wrong, already used or expired. Get a new one with `pairgate device add`.",
  challenge_not_found: () => "The hub no longer knows this login request.",
  challenge_expired: () => "This login request has expired.",
  challenge_used: () => "This login request was already answered.",
  challenge_denied: () => "The login was refused: the number picked was not the one the client shows.",
  invalid_otp: () => "The hub did not accept this device's code. If it keeps happening, unpair the device and pair it again.",
  otp_locked: (error) =>
    `Too many wrong codes: the hub refuses this device's codes and approvals for ${formatWait(error.retryAfterSeconds)}. The account's recovery codes still work for logging in.`,
  unauthorized: () => "The hub does not accept this device any more; it may have been unpaired.",
  device_not_found: () => "The hub does not know this device any more; it may have been unpaired.",
};

const EXIT_CODE_BY_ERROR: Partial<Record<ErrorCode, ExitCode>> = {
  invalid_request: EXIT_CODES.usage,
  invalid_binding_code: EXIT_CODES.notAuthenticated,
  invalid_otp: EXIT_CODES.notAuthenticated,
  otp_locked: EXIT_CODES.notAuthenticated,
  unauthorized: EXIT_CODES.notAuthenticated,
  rate_limited: EXIT_CODES.rateLimited,
};

export const describeProtocolError = protocolErrorDescriber(DEVICE_ERROR_SENTENCES);

/** The indicator while an attempt is under way: "connecting again (last try: no answer)". */
export function describeConnecting(status: { lastTry?: string } | undefined): string {
  return status?.lastTry ? `connecting again (last try: ${status.lastTry})` : "connecting…";
}

/** A few words for the connection indicator: "reconnecting in 4s (hub unreachable)". */
export function shortConnectReason(failure: ConnectFailure): string {
  switch (failure.kind) {
    case "refused":
      return `refused: ${failure.message}`;
    case "tls":
      return "TLS certificate not trusted";
    case "unreachable":
      return "hub unreachable";
    case "timeout":
      return "no answer";
    case "disconnected":
      return "connection lost";
    case "bad_reply":
      return "unexpected answer";
  }
}

/** The full sentence, for the pairing screen and the command line. */
export function describeConnectFailure(failure: ConnectFailure, hub: string, caFile: string | undefined): string {
  switch (failure.kind) {
    case "refused":
      if (failure.code === "invalid_device_token") return `The hub at ${hub} no longer accepts this device: it was unpaired.`;
      return `The hub at ${hub} refused the connection: ${failure.message}`;
    case "tls": {
      const trusted = caFile ? `the CA in ${caFile}` : "the system's certificate authorities (no CA file found)";
      return `Could not verify the TLS certificate of ${hub} against ${trusted}: ${failure.reason}. Give the hub's CA with --ca FILE or PAIRGATE_CA.`;
    }
    case "unreachable":
      return `Cannot reach the hub at ${hub} (${failure.reason}). Is it running, and is the address right?`;
    case "timeout":
      return `The hub at ${hub} did not answer in time. Try again, or check that it is running.`;
    case "disconnected":
      return `The connection to ${hub} was lost (${failure.reason}) before the hub answered.`;
    case "bad_reply":
      return `The hub at ${hub} answered ${failure.event} in a way this app does not understand; the two may be different versions.`;
  }
}

export function describeTakeFailure(failure: Exclude<TakenCode, { ok: true }>): string {
  switch (failure.reason) {
    case "data_problem":
      return describeOtpDataProblem(failure.problem);
    case "revoked":
      return "This device was unpaired from the hub; its codes no longer work.";
    case "not_found":
      return "This account is no longer in the data file.";
  }
}

/** Command-line failures, with their exit codes. */
export const deviceFailures = {
  hubError: (error: ProtocolError) =>
    new CliFailure(error.code, describeProtocolError(error), EXIT_CODE_BY_ERROR[error.code] ?? EXIT_CODES.failure, {
      ...(error.details ? { details: error.details } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    }),
  connection: (failure: ConnectFailure, hub: string, caFile: string | undefined) => {
    const refusedToken = failure.kind === "refused" && failure.code === "invalid_device_token";
    const exitCode = refusedToken ? EXIT_CODES.notAuthenticated : failure.kind === "refused" || failure.kind === "bad_reply" ? EXIT_CODES.failure : EXIT_CODES.hubUnreachable;
    const code = refusedToken ? "invalid_device_token" : `hub_${failure.kind}`;
    return new CliFailure(code, describeConnectFailure(failure, hub, caFile), exitCode);
  },
  takeCode: (failure: Exclude<TakenCode, { ok: true }>) =>
    new CliFailure(failure.reason, describeTakeFailure(failure), failure.reason === "revoked" ? EXIT_CODES.notAuthenticated : EXIT_CODES.failure),
  dataProblem: (message: string) => new CliFailure("data_problem", message, EXIT_CODES.failure),
  usage: (message: string) => new CliFailure("usage", message, EXIT_CODES.usage),
};
