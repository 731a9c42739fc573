import type { ZxcvbnFactory } from "@zxcvbn-ts/core";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from "#protocol";

// The judgement itself, with no way of loading zxcvbn: the hub and the client load its dictionaries
// lazily through Node (password-policy.ts), the browser app through a chunk of its own
// (web/src/components/password-judge.ts). Both then judge exactly alike.

/**
 * NIST SP 800-63B 5.1.1.2: a length floor, no composition rules, and refusal of common,
 * expected or context-specific values with the reason. zxcvbn's dictionaries and pattern
 * matchers supply the "common or expected" part; a score of 3 means it needs at least
 * 10^8 guesses, which at bcrypt cost 12 is years of one attacker's machine.
 */
export const PASSWORD_MIN_STRENGTH_SCORE = 3;

export type PasswordVerdict = { ok: true } | { ok: false; reasons: string[] };

/** Judges a new password; `context` holds the username and email, which a password must not echo. */
export function judgePasswordWith(strength: ZxcvbnFactory, password: string, context: string[] = []): PasswordVerdict {
  const characters = [...password].length;
  if (characters < PASSWORD_MIN_LENGTH) {
    return { ok: false, reasons: [`Use at least ${PASSWORD_MIN_LENGTH} characters (this has ${characters}).`] };
  }
  const bytes = new TextEncoder().encode(password).length;
  if (bytes > PASSWORD_MAX_BYTES) {
    return { ok: false, reasons: [`Use at most ${PASSWORD_MAX_BYTES} bytes (this has ${bytes}); longer passwords would be cut short by bcrypt.`] };
  }
  const emailNames = context.filter((value) => value.includes("@")).map((email) => email.split("@")[0] ?? "");
  const result = strength.check(password, [...context, ...emailNames].filter(Boolean));
  if (result.score >= PASSWORD_MIN_STRENGTH_SCORE) return { ok: true };
  const reasons = [result.feedback.warning, ...result.feedback.suggestions].filter((text): text is string => Boolean(text));
  return { ok: false, reasons: reasons.length > 0 ? reasons : ["This password is too easy to guess; add more words or characters."] };
}
