import type { Command } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { printResult } from "../../terminal/output.ts";
import { withLoggedInHub } from "../hub-access.ts";
import { PASSWORD_STDIN_HELP, type FreshProofOptions } from "../fresh-proof.ts";
import { generateRecoveryCodes, recoveryCodeLines } from "../recovery-codes.ts";

const GENERATE_JSON_HELP = `
With --json: {"ok":true,"data":{"codes":["XXXXX-XXXXX", ...]}} (10 codes). Store them before anything else.`;

export function addRecoveryCommands(program: Command): void {
  const recovery = program.command("recovery").description("recovery codes: single-use stand-ins for your device's code, for when you lose it");
  recovery
    .command("generate")
    .description("make 10 new recovery codes, shown this once; any earlier ones stop working")
    .option("--password-stdin", PASSWORD_STDIN_HELP)
    .addHelpText("after", GENERATE_JSON_HELP)
    .action((_options, command: Command) => generate(command));
}

async function generate(command: Command): Promise<void> {
  const options = optionsOf<FreshProofOptions>(command);
  const codes = await withLoggedInHub(options, ({ connection }) => generateRecoveryCodes(connection, options));
  printResult(options, { codes }, recoveryCodeLines(codes, process.stdout.isTTY === true));
}
