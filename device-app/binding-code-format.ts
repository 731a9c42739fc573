import { BINDING_CODE_LENGTH, CROCKFORD_ALPHABET } from "#protocol";

const GROUP_LENGTH = BINDING_CODE_LENGTH / 2;

/**
 * A binding code as it is being typed, shown the way the client shows it: upper case, the
 * Crockford look-alikes read as digits (I, L -> 1; O -> 0), anything else dropped, and the
 * dash added once the second group starts. The dash is not added after the fourth character,
 * or Backspace could never remove it.
 */
export function formatBindingCodeInput(typed: string): string {
  const characters = [...typed.toUpperCase().replace(/[IL]/g, "1").replace(/O/g, "0")]
    .filter((character) => CROCKFORD_ALPHABET.includes(character))
    .slice(0, BINDING_CODE_LENGTH)
    .join("");
  if (characters.length <= GROUP_LENGTH) return characters;
  return `${characters.slice(0, GROUP_LENGTH)}-${characters.slice(GROUP_LENGTH)}`;
}

export function isCompleteBindingCode(formatted: string): boolean {
  return formatted.replace("-", "").length === BINDING_CODE_LENGTH;
}
