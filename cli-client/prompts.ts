import { PROMPT_CONTEXT, requireTerminal } from "../terminal/hidden-input.ts";
import { confirm, input, select, type Separator } from "../terminal/inquirer.ts";

export async function promptText(message: string, alternative: string, validate?: (value: string) => boolean | string): Promise<string> {
  requireTerminal(message, alternative);
  return input({ message, required: true, validate }, PROMPT_CONTEXT);
}

export async function promptChoice<Value extends string>(message: string, choices: readonly (Separator | { name: string; value: Value })[]): Promise<Value> {
  return select({ message, choices, pageSize: choices.length }, PROMPT_CONTEXT);
}

/** A yes/no question that defaults to no, for actions that cannot be undone. */
export async function promptConfirm(message: string, alternative: string): Promise<boolean> {
  requireTerminal("confirmation", alternative);
  return confirm({ message, default: false }, PROMPT_CONTEXT);
}
