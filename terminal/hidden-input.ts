import { createInterface } from "node:readline";
import { CliFailure } from "./cli-failure.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import { password } from "./inquirer.ts";

/**
 * Hidden input for both terminal programs: the client's passwords and key passphrases, the
 * authenticator's data-file passphrase. One copy, so both refuse and explain in the same words.
 */

// Prompts draw on stderr, so that stdout carries only the command's result (and `--json` stays parseable).
export const PROMPT_CONTEXT = { output: process.stderr };
const NEW_SECRET_ATTEMPTS = 3;

export function hasTerminal(): boolean {
  return process.stdin.isTTY === true;
}

/** Nothing can be asked: the command names the way to give it instead (`alternative`). */
export function needsTerminal(what: string, alternative: string): CliFailure {
  return new CliFailure("no_terminal", `Cannot ask for ${what.replace(/[:?]\s*$/, "")}: there is no terminal. ${alternative}`, EXIT_CODES.usage);
}

export function requireTerminal(what: string, alternative: string): void {
  if (!hasTerminal()) throw needsTerminal(what.toLowerCase(), alternative);
}

/** Hidden input: nothing is echoed, not even a mask, so its length is not shown either. */
export async function promptSecret(message: string, alternative: string): Promise<string> {
  requireTerminal(message, alternative);
  return password({ message }, PROMPT_CONTEXT);
}

/**
 * Asks twice and insists that both entries match, since a typo here would lock the person out.
 * `refusal` judges the first entry at once: a refused one is explained and asked again, before
 * the person bothers to repeat it. `noun` names the secret in the final refusal.
 */
export async function promptNewSecret(
  message: string,
  alternative: string,
  refusal: (secret: string) => string | undefined = () => undefined,
  noun = "password",
): Promise<string> {
  for (let attempt = 1; attempt <= NEW_SECRET_ATTEMPTS; attempt += 1) {
    const first = await promptSecret(message, alternative);
    const refused = refusal(first);
    if (refused !== undefined) {
      process.stderr.write(`${refused}\n`);
      continue;
    }
    const second = await promptSecret(`${message.replace(/:\s*$/, "")} (again):`, alternative);
    if (first === second) return first;
    process.stderr.write("The two entries differ; try again.\n");
  }
  throw new CliFailure("invalid_input", `No ${noun} was settled after ${NEW_SECRET_ATTEMPTS} tries.`, EXIT_CODES.usage);
}

/**
 * Reads `count` lines from standard input (`--password-stdin`, `--passphrase-stdin`), without
 * trimming spaces, which may belong to a password. A missing or empty line is a usage error.
 */
export async function readStdinLines(count: number): Promise<string[]> {
  const lines: string[] = [];
  const reader = createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity });
  for await (const line of reader) {
    lines.push(line);
    if (lines.length === count) break;
  }
  reader.close();
  if (lines.length < count || lines.some((line) => line.length === 0)) {
    throw new CliFailure("invalid_input", `Expected ${count === 1 ? "one non-empty line" : `${count} non-empty lines`} on standard input.`, EXIT_CODES.usage);
  }
  return lines;
}
