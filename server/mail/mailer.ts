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
