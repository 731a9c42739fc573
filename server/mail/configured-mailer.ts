import type { Clock } from "../clock.ts";
import type { Settings } from "../config.ts";
import type { Logger } from "../logger.ts";
import type { Mailer } from "./mailer.ts";
import { createOutboxMailer } from "./outbox-mailer.ts";
import { createSmtpMailer } from "./smtp-mailer.ts";

/** SMTP when `SMTP_URL` is set; otherwise the outbox folder, so every flow works with no setup. */
export function createMailer(settings: Settings, log: Logger, clock: Clock): Mailer {
  if (settings.smtpUrl) return createSmtpMailer(settings.smtpUrl, settings.mailFrom, log);
  return createOutboxMailer(settings.dataDir, settings.mailFrom, log, clock);
}
