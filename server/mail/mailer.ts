import type { Clock } from "../clock.ts";
import type { Settings } from "../config.ts";
import type { Logger } from "../logger.ts";
import { createOutboxMailer } from "./outbox-mailer.ts";
import { createSmtpMailer } from "./smtp-mailer.ts";

/** One plain-text message to one person. The subject never holds a code: subjects are logged. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Delivery can fail for reasons outside the hub (a relay down): an expected outcome, not a throw. */
export type MailOutcome = { delivered: true } | { delivered: false; reason: string };

export interface Mailer {
  /** `smtp` or `outbox`, for the start-up log. */
  readonly kind: "smtp" | "outbox";
  send(message: MailMessage): Promise<MailOutcome>;
  close(): void;
}

/** SMTP when `SMTP_URL` is set; otherwise the outbox folder, so every flow works with no setup. */
export function createMailer(settings: Settings, log: Logger, clock: Clock): Mailer {
  if (settings.smtpUrl) return createSmtpMailer(settings.smtpUrl, settings.mailFrom, log);
  return createOutboxMailer(settings.dataDir, settings.mailFrom, log, clock);
}
