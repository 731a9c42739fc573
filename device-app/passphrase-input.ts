import { createInterface } from "node:readline";
import { password } from "@inquirer/prompts";
import { deviceFailures } from "./device-messages.ts";

/**
 * A passphrase of at least 8 characters (NIST SP 800-63B 5.1.1.2 asks the same of memorised
 * secrets); scrypt makes each guess expensive, but cannot save "1234".
 */
export const PASSPHRASE_MIN_LENGTH = 8;
const NEW_PASSPHRASE_ATTEMPTS = 3;
// Prompts draw on stderr, so that stdout carries only the command's result (and `--json` stays parseable).
const PROMPT_CONTEXT = { output: process.stderr };

/** Why a new passphrase is refused, or undefined when it will do. */
export function passphraseRefusal(passphrase: string): string | undefined {
  if ([...passphrase].length < PASSPHRASE_MIN_LENGTH) return `A passphrase needs at least ${PASSPHRASE_MIN_LENGTH} characters.`;
  return undefined;
}

/** Hidden input on the terminal: nothing is echoed, not even a mask. */
export async function promptPassphrase(message: string, alternative: string): Promise<string> {
  if (process.stdin.isTTY !== true) throw deviceFailures.usage(`A passphrase is needed and there is no terminal to ask on. ${alternative}`);
  return password({ message }, PROMPT_CONTEXT);
}

/** Asked twice, since a typo here would lock the person out of their own codes. */
export async function promptNewPassphrase(alternative: string): Promise<string> {
  for (let attempt = 1; attempt <= NEW_PASSPHRASE_ATTEMPTS; attempt += 1) {
    const first = await promptPassphrase("New passphrase:", alternative);
    const refused = passphraseRefusal(first);
    if (refused !== undefined) {
      process.stderr.write(`${refused}\n`);
      continue;
    }
    if (first === (await promptPassphrase("New passphrase (again):", alternative))) return first;
    process.stderr.write("The two entries differ; try again.\n");
  }
  throw deviceFailures.usage(`No passphrase was settled after ${NEW_PASSPHRASE_ATTEMPTS} tries.`);
}

/** `count` lines of standard input, spaces kept (they may belong to a passphrase); empty lines refused. */
export async function readStdinLines(count: number): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  for await (const line of reader) {
    lines.push(line);
    if (lines.length === count) break;
  }
  reader.close();
  if (lines.length < count || lines.some((line) => line.length === 0)) {
    throw deviceFailures.usage(`Expected ${count === 1 ? "one non-empty line" : `${count} non-empty lines`} on standard input.`);
  }
  return lines;
}
