import type { Ack, ErrorCode, ProtocolError } from "#protocol";

/** A failed call as a page shows it: one sentence, and the fields the hub named. */
export interface ShownError {
  code: ErrorCode;
  message: string;
  fields: Record<string, string>;
  retryAfterSeconds?: number;
  triesLeft?: number;
}

/** Sentences for the errors a person meets on these pages; the hub's own message for the rest. */
const SENTENCES: Partial<Record<ErrorCode, string>> = {
  invalid_credentials: "The username or password is wrong.",
  rate_limited: "Too many attempts.",
  unavailable: "The hub could not be reached. Check the connection and try again.",
  challenge_expired: "The login took too long and has expired. Log in again.",
  challenge_used: "This login was already used. Log in again.",
  challenge_not_found: "This login is no longer open. Log in again.",
};

export function shownError(error: ProtocolError): ShownError {
  const fields: Record<string, string> = {};
  for (const detail of error.details ?? []) fields[detail.path] ??= detail.message;
  let message = SENTENCES[error.code] ?? error.message;
  if (error.retryAfterSeconds !== undefined) message += ` Try again in ${waitText(error.retryAfterSeconds)}.`;
  if (error.triesLeft !== undefined && error.triesLeft > 0) message += ` ${error.triesLeft} ${error.triesLeft === 1 ? "try" : "tries"} left.`;
  return { code: error.code, message, fields, retryAfterSeconds: error.retryAfterSeconds, triesLeft: error.triesLeft };
}

/** The data of a successful ack, or the error to show. */
export function outcome<T>(ack: Ack<T>): { data: T; error?: undefined } | { data?: undefined; error: ShownError } {
  return ack.ok ? { data: ack.data } : { error: shownError(ack.error) };
}

function waitText(seconds: number): string {
  if (seconds < 90) return `${Math.max(1, Math.ceil(seconds))} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}
