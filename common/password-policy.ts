import { createRequire } from "node:module";
import type * as ZxcvbnCore from "@zxcvbn-ts/core";
import type * as ZxcvbnCommon from "@zxcvbn-ts/language-common";
import type * as ZxcvbnEnglish from "@zxcvbn-ts/language-en";
import { judgePasswordWith, type PasswordVerdict } from "./password-rules.ts";

export { PASSWORD_MIN_STRENGTH_SCORE, type PasswordVerdict } from "./password-rules.ts";

// Not exported from index.ts: only the hub and the client's new-password prompts judge
// passwords, so the other programs do not load zxcvbn's dictionaries. The client uses it to refuse
// a password as soon as it is typed; the hub's verdict, with the account's email, is final.

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

/** Loads the dictionaries now, in a process that judges often (the hub's password threads). */
export function preparePasswordJudge(): void {
  strength();
}

/** Judges a new password; `context` holds the username and email, which a password must not echo. */
export function judgePassword(password: string, context: string[] = []): PasswordVerdict {
  return judgePasswordWith(strength(), password, context);
}
