import { createInterface } from "node:readline";
import { confirm, input, password, select, type Separator } from "./inquirer.ts";
import { clientFailures } from "./messages.ts";

// Prompts draw on stderr, so that stdout carries only the command's result (and `--json` stays parseable).
export const PROMPT_CONTEXT = { output: process.stderr };
const NEW_SECRET_ATTEMPTS = 3;

export function hasTerminal(): boolean {
  return process.stdin.isTTY === true;
}

export async function promptText(message: string, alternative: string, validate?: (value: string) => boolean | string): Promise<string> {
  requireTerminal(message.toLowerCase(), alternative);
  return input({ message, required: true, validate }, PROMPT_CONTEXT);
}

/** Hidden input: nothing is echoed, not even a mask, so its length is not shown either. */
export async function promptSecret(message: string, alternative: string): Promise<string> {
  requireTerminal(message.toLowerCase(), alternative);
  return password({ message }, PROMPT_CONTEXT);
}

/**
 * Asks twice and insists that both entries match, since a typo here would lock the person out.
 * `refusal` judges the first entry at once: a refused one is explained and asked again, before
 * the person bothers to repeat it.
 */
export async function promptNewSecret(message: string, alternative: string, refusal: (secret: string) => string | undefined = () => undefined): Promise<string> {
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
  throw clientFailures.badInput(`No password was settled after ${NEW_SECRET_ATTEMPTS} tries.`);
}

export async function promptChoice<Value extends string>(message: string, choices: readonly (Separator | { name: string; value: Value })[]): Promise<Value> {
  return select({ message, choices, pageSize: choices.length }, PROMPT_CONTEXT);
}

/** A yes/no question that defaults to no, for actions that cannot be undone. */
export async function promptConfirm(message: string, alternative: string): Promise<boolean> {
  requireTerminal("confirmation", alternative);
  return confirm({ message, default: false }, PROMPT_CONTEXT);
}

/**
 * Reads `count` lines from standard input (for `--password-stdin`), without trimming spaces,
 * which may belong to a password. A missing or empty line is a usage error.
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
    throw clientFailures.badInput(`Expected ${count === 1 ? "one non-empty line" : `${count} non-empty lines`} on standard input.`);
  }
  return lines;
}

function requireTerminal(what: string, alternative: string): void {
  if (!hasTerminal()) throw clientFailures.needsTerminal(what.replace(/[:?]\s*$/, ""), alternative);
}
