import { randomBytes } from "node:crypto";
import type { Transporter } from "nodemailer";
import path from "node:path";
import type { Clock } from "../clock.ts";
import { ensurePrivateDir, writeFileAtomic } from "../files.ts";
import type { Logger } from "../logger.ts";
import type { Mailer } from "./mailer.ts";
import { loadNodemailer } from "./nodemailer-module.ts";

export const OUTBOX_DIR_NAME = "outbox";

/**
 * With no SMTP relay, each message becomes an .eml file (RFC 5322, composed by nodemailer) in
 * `<dataDir>/outbox/`, mode 0600, and the log says where, without the body: the body holds the
 * code, and logs may be read by more people than the data folder.
 */
export function createOutboxMailer(dataDir: string, from: string, log: Logger, clock: Clock): Mailer {
  const outbox = path.join(dataDir, OUTBOX_DIR_NAME);
  // Made at the first message: a hub that sends none never loads nodemailer.
  let composer: Transporter | undefined;
  const compose = () => (composer ??= loadNodemailer().createTransport({ streamTransport: true, buffer: true, newline: "unix" }));
  return {
    kind: "outbox",
    async send(message) {
      try {
        const { message: raw } = await compose().sendMail({ from, to: message.to, subject: message.subject, text: message.text });
        ensurePrivateDir(outbox);
        const file = path.join(outbox, outboxFileName(clock.now()));
        writeFileAtomic(file, raw as Buffer, 0o600);
        log.info({ to: message.to, subject: message.subject, file }, "email written to the outbox");
        return { delivered: true };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log.error({ to: message.to, subject: message.subject, reason }, "email could not be written to the outbox");
        return { delivered: false, reason };
      }
    },
    close: () => composer?.close(),
  };
}

/** Sorts by time when listed; the random part keeps two messages of one millisecond apart. */
function outboxFileName(sentAt: Date): string {
  const stamp = sentAt.toISOString().replace(/[:.]/g, "-");
  return `${stamp}-${randomBytes(4).toString("hex")}.eml`;
}
