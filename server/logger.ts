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

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" }, base: { app: "pairgate-hub" } }, destination);
}
