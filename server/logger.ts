import pino, { type Logger } from "pino";

export type { Logger };

// Defence in depth: no code path should log these, and if one does, pino blanks them.
const REDACTED_PATHS = [
  "password",
  "currentPassword",
  "newPassword",
  "token",
  "signature",
  "otp",
  "code",
  "secret",
  "*.password",
  "*.token",
  "*.signature",
  "*.otp",
  "*.code",
  "*.secret",
  "auth",
  "*.auth",
];

/**
 * The hub's own log: on a terminal, pino-pretty (pino's transport, in a worker thread) prints one
 * readable line per entry for the person watching; anywhere else (a pipe, a file, a service
 * manager) each entry stays one JSON object, for log collectors.
 */
export function createHubLogger(level: string, onTerminal = process.stdout.isTTY === true): Logger {
  if (!onTerminal) return createLogger(level);
  const pretty = pino.transport({
    target: "pino-pretty",
    options: { colorize: true, singleLine: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app", destination: 1 },
  });
  return createLogger(level, pretty);
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { app: "pairgate-hub" } }, destination);
}
