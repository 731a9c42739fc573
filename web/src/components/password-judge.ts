import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { judgePasswordWith, type PasswordVerdict } from "../../../common/password-rules.ts";

// The hub's own rules with the same dictionaries, built once in the chunk that loads them: the
// dictionaries are most of its weight, so only pages that take a new password import this file.
const strength = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
  useLevenshteinDistance: false,
});

export function judgePassword(password: string, context: string[]): PasswordVerdict {
  return judgePasswordWith(strength, password, context);
}
