import type { Logger } from "../logger.ts";
import type { Mailer } from "./mailer.ts";
import { loadNodemailer } from "./nodemailer-module.ts";

/** A relay that does not answer must not hold a registration open for minutes (nodemailer's defaults). */
const SMTP_CONNECTION_TIMEOUT_MS = 10_000;
const SMTP_GREETING_TIMEOUT_MS = 10_000;
const SMTP_SOCKET_TIMEOUT_MS = 30_000;

/**
 * nodemailer over SMTP. smtp:// upgrades with STARTTLS when the relay offers it, smtps:// is TLS
 * from the start; certificates are always verified. The URL (which may hold a password) is never logged.
 */
export function createSmtpMailer(url: string, from: string, log: Logger): Mailer {
  const transport = loadNodemailer().createTransport({
    url,
    connectionTimeout: SMTP_CONNECTION_TIMEOUT_MS,
    greetingTimeout: SMTP_GREETING_TIMEOUT_MS,
    socketTimeout: SMTP_SOCKET_TIMEOUT_MS,
  });
  return {
    kind: "smtp",
    async send(message) {
      try {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
        log.info({ to: message.to, subject: message.subject }, "email sent");
        return { delivered: true };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.error({ to: message.to, subject: message.subject, reason }, "email could not be sent");
        return { delivered: false, reason };
      }
    },
    close: () => transport.close(),
  };
}
