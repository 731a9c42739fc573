import { createRequire } from "node:module";
import type * as ZxcvbnCore from "@zxcvbn-ts/core";
import type * as ZxcvbnCommon from "@zxcvbn-ts/language-common";
import type * as ZxcvbnEnglish from "@zxcvbn-ts/language-en";
import { PASSWORD_MAX_BYTES, PASSWORD_MIN_LENGTH } from "#protocol";

// Not exported from index.ts: only the hub and the client's new-password prompts judge
// passwords, so the other programs do not load zxcvbn's dictionaries. The client uses it to refuse
// a password as soon as it is typed; the hub's verdict, with the account's email, is final.

/**
 * NIST SP 800-63B 5.1.1.2: a length floor, no composition rules, and refusal of common,
 * expected or context-specific values with the reason. zxcvbn's dictionaries and pattern
 * matchers supply the "common or expected" part; a score of 3 means it needs at least
 * 10^8 guesses, which at bcrypt cost 12 is years of one attacker's machine.
 */
export const PASSWORD_MIN_STRENGTH_SCORE = 3;

const require = createRequire(import.meta.url);
let loadedStrength: ZxcvbnCore.ZxcvbnFactory | undefined;

/**
 * zxcvbn with its dictionaries, made at the first judgement: loading them takes longer than
 * starting the client, which judges a password only when one is chosen.
 */
function strength(): ZxcvbnCore.ZxcvbnFactory {
  if (loadedStrength) return loadedStrength;
  const { ZxcvbnFactory } = require("@zxcvbn-ts/core") as typeof ZxcvbnCore;
  const common = require("@zxcvbn-ts/language-common") as typeof ZxcvbnCommon;
  const english = require("@zxcvbn-ts/language-en") as typeof ZxcvbnEnglish;
  loadedStrength = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
    useLevenshteinDistance: false,
  });
  return loadedStrength;
}

export type PasswordVerdict = { ok: true } | { ok: false; reasons: string[] };

/** Loads the dictionaries now, in a process that judges often (the hub's password threads). */
export function preparePasswordJudge(): void {
  strength();
}

/** Judges a new password; `context` holds the username and email, which a password must not echo. */
export function judgePassword(password: string, context: string[] = []): PasswordVerdict {
  const characters = [...password].length;
  if (characters < PASSWORD_MIN_LENGTH) {
    return { ok: false, reasons: [`Use at least ${PASSWORD_MIN_LENGTH} characters (this has ${characters}).`] };
  }
  const bytes = new TextEncoder().encode(password).length; // the browser app judges passwords too: no Buffer
  if (bytes > PASSWORD_MAX_BYTES) {
    return { ok: false, reasons: [`Use at most ${PASSWORD_MAX_BYTES} bytes (this has ${bytes}); longer passwords would be cut short by bcrypt.`] };
  }
  const emailNames = context.filter((value) => value.includes("@")).map((email) => email.split("@")[0] ?? "");
  const result = strength().check(password, [...context, ...emailNames].filter(Boolean));
  if (result.score >= PASSWORD_MIN_STRENGTH_SCORE) return { ok: true };
  const reasons = [result.feedback.warning, ...result.feedback.suggestions].filter((text): text is string => Boolean(text));
  return { ok: false, reasons: reasons.length > 0 ? reasons : ["This password is too easy to guess; add more words or characters."] };
}
