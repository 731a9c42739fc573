import type { MailMessage } from "./mailer.ts";

/**
 * The emails the hub sends. Each code stands on a line of its own, `code: 123456`, so a person can
 * copy it and a program can find it; lines stay short, so the text is sent as it reads. Subjects
 * never hold the code, because subjects are logged.
 */

function lifetime(seconds: number): string {
  if (seconds % 3600 === 0) return seconds === 3600 ? "1 hour" : `${seconds / 3600} hours`;
  return `${Math.round(seconds / 60)} minutes`;
}

function letter(to: string, subject: string, lines: string[]): MailMessage {
  return { to, subject, text: `${lines.join("\n")}\n` };
}

export function verificationMail(to: string, username: string, code: string, ttlSeconds: number): MailMessage {
  return letter(to, "Confirm your PairGate email address", [
    `Hello ${username},`,
    "",
    "To confirm this email address for your PairGate account,",
    "enter this code:",
    "",
    `code: ${code}`,
    "",
    `It works once and expires in ${lifetime(ttlSeconds)}.`,
    "If you did not create a PairGate account, ignore this email.",
  ]);
}

export function passwordResetMail(to: string, username: string, code: string, ttlSeconds: number): MailMessage {
  return letter(to, "Reset your PairGate password", [
    `Hello ${username},`,
    "",
    "Someone asked to reset the password of your PairGate account.",
    "To choose a new password, enter this code:",
    "",
    `code: ${code}`,
    "",
    `It works once and expires in ${lifetime(ttlSeconds)}. If your account has`,
    "a paired device, you will also need its code or a recovery code.",
    "If you did not ask for this, ignore this email: your password",
    "stays as it is.",
  ]);
}

export function clientKeyMail(to: string, username: string, code: string, ttlSeconds: number, fingerprint: string, address: string): MailMessage {
  return letter(to, "A new machine wants to log in to your PairGate account", [
    `Hello ${username},`,
    "",
    "A login with your password came from a machine your account",
    `does not know yet, at the address ${address}. Its key's SHA-256`,
    "fingerprint is",
    `  ${fingerprint}`,
    "",
    "To add this machine to your account, enter this code:",
    "",
    `code: ${code}`,
    "",
    `It works once and expires in ${lifetime(ttlSeconds)}.`,
    "If this was not you, someone knows your password: do not share",
    "the code, and change your password.",
  ]);
}
