import { styleText } from "node:util";
import { confirm } from "../terminal/inquirer.ts";
import type { GlobalOptions } from "../terminal/global-options.ts";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { printResultLine } from "../terminal/output.ts";
import { expectData } from "./hub-access.ts";
import { callWithFreshProof, type FreshProofOptions } from "./fresh-proof.ts";
import { hasTerminal, PROMPT_CONTEXT } from "../terminal/hidden-input.ts";

export const RECOVERY_CODES_WARNING = [
  "Store these codes now, somewhere safe and offline (a password manager, or on paper): they are shown only this once.",
  "Each one works once, in place of your device's code, to log in or reset your password if you lose the device:",
  "  pairgate login --recovery-code CODE   or   pairgate password reset --recovery-code CODE",
  "Any recovery codes made before these no longer work.",
];

export const RECOVERY_CODES_HINT =
  "Make recovery codes now, in case you lose this device: pairgate recovery generate (without them, a lost device locks you out).";

/** Asks the hub for the account's new codes, replacing any earlier ones. */
export async function generateRecoveryCodes(connection: ClientConnection, options: FreshProofOptions = {}): Promise<string[]> {
  return expectData(await callWithFreshProof(connection, options, "recovery:generate", {})).codes;
}

/** The codes, two to a line and numbered, between the warning and nothing else that could scroll them away. */
export function recoveryCodeLines(codes: string[], bold = false): string[] {
  const cells = codes.map((code, index) => `${String(index + 1).padStart(2)}. ${bold ? styleText("bold", code) : code}`);
  const rows: string[] = [];
  for (let index = 0; index < cells.length; index += 2) rows.push(`    ${cells.slice(index, index + 2).join("    ")}`);
  return [`Your ${codes.length} recovery codes:`, "", ...rows, "", ...RECOVERY_CODES_WARNING];
}

/**
 * After the account's first device is paired: on a terminal, offers to make the codes at once
 * (losing the only device must not lock the person out); in scripts, prints how to.
 */
export async function offerRecoveryCodes(connection: ClientConnection, options: GlobalOptions): Promise<void> {
  const { devices } = expectData(await connection.call("device:list", {}));
  if (devices.length !== 1) return;
  const hint = () => process.stderr.write(`${RECOVERY_CODES_HINT}\n`);
  if (options.json || !hasTerminal()) return void hint();
  // Short enough for one line of an 80-column terminal, with the prompt's marks.
  const question = "Make recovery codes now, in case you lose this device?";
  const wanted = await confirm({ message: question, default: true }, PROMPT_CONTEXT).catch((error: unknown) => {
    // Ctrl+C here only declines the offer: the device is paired all the same.
    if (error instanceof Error && error.name === "ExitPromptError") return false;
    throw error;
  });
  if (!wanted) return void hint();
  const codes = await generateRecoveryCodes(connection);
  printResultLine(options, { codes }, recoveryCodeLines(codes, process.stdout.isTTY === true));
}
