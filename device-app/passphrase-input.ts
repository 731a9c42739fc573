import { promptNewSecret } from "../terminal/hidden-input.ts";

/**
 * A passphrase of at least 8 characters (NIST SP 800-63B 5.1.1.2 asks the same of memorised
 * secrets); scrypt makes each guess expensive, but cannot save "1234".
 */
export const PASSPHRASE_MIN_LENGTH = 8;

/** Why a new passphrase is refused, or undefined when it will do. */
export function passphraseRefusal(passphrase: string): string | undefined {
  if ([...passphrase].length < PASSPHRASE_MIN_LENGTH) return `A passphrase needs at least ${PASSPHRASE_MIN_LENGTH} characters.`;
  return undefined;
}

/** Asked twice, since a typo here would lock the person out of their own codes. */
export async function promptNewPassphrase(alternative: string): Promise<string> {
  return promptNewSecret("New passphrase:", alternative, passphraseRefusal, "passphrase");
}
