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
    "a device (the PairGate authenticator or an authenticator app), you will",
    "also need its current code or a recovery code.",
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

export function emailChangedMail(to: string, username: string, address: string): MailMessage {
  return letter(to, "Your PairGate email address was changed", [
    `Hello ${username},`,
    "",
    "The email address of your PairGate account was changed, from a",
    `session at the address ${address}. Emails for the account now go`,
    "to the new address; this one gets no more of them.",
    "",
    "If this was not you, someone holds a session of your account and",
    "knows your password or has your device: ask your administrator to",
    "lock the account, then change your password.",
  ]);
}

export function registrationAttemptMail(to: string, username: string, address: string): MailMessage {
  return letter(to, "Someone tried to register with your address at PairGate", [
    `Hello ${username},`,
    "",
    "Someone tried to create a new PairGate account with this email",
    `address, from the address ${address}. Your address already belongs`,
    "to your account, so no account was created and nothing changed.",
    "",
    "If it was you, you already have an account: log in, or reset",
    "your password with `pairgate password forgot`.",
    "If it was not you, you need not do anything.",
  ]);
}
