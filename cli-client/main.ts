import { Command, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { asCliFailure, isCommanderSuccess } from "../terminal/cli-failure.ts";
import { addAccountCommands } from "./commands/account.ts";
import { addAdminCommands } from "./commands/admin.ts";
import { addAuditCommand } from "./commands/audit.ts";
import { addChatCommand } from "./commands/chat.ts";
import { addDeviceCommands } from "./commands/devices.ts";
import { addEmailCommands } from "./commands/email.ts";
import { addKeysCommands } from "./commands/keys.ts";
import { addLoginCommands } from "./commands/login.ts";
import { runMenu } from "./commands/menu.ts";
import { addPasswordRecoveryCommands } from "./commands/password-recovery.ts";
import { addRecoveryCommands } from "./commands/recovery.ts";
import { addRegisterCommand } from "./commands/register.ts";
import { addSessionsCommands } from "./commands/sessions.ts";
import { EXIT_CODES, type ExitCode } from "../terminal/exit-codes.ts";
import { DEFAULT_HUB_URL } from "../terminal/hub-settings.ts";
import { printFailure } from "../terminal/output.ts";

const EXIT_CODE_HELP = `
Exit codes: 0 done, 1 failed, 2 usage or invalid input, 3 not logged in or wrong credentials,
4 rate limited, 5 hub unreachable or TLS not trusted, 130 cancelled.

Environment: PAIRGATE_HOME (state folder), PAIRGATE_HUB, PAIRGATE_CA, PAIRGATE_KEY_PASSPHRASE.`;

function buildProgram(): Command {
  const program = new Command("pairgate")
    .description("Terminal client of a PairGate hub: this machine's key, your account, login, sessions, devices (PairGate authenticators and authenticator apps), recovery codes and messages.")
    .version(packageJson.version)
    .option("--json", "print results as JSON on stdout")
    .addOption(new Option("--hub <url>", `the hub (default: the one you logged in to, else ${DEFAULT_HUB_URL})`).env("PAIRGATE_HUB"))
    .addOption(new Option("--ca <file>", "CA certificate to trust for the hub (default: $PAIRGATE_HOME/ca.pem, then ./certs/ca.pem)").env("PAIRGATE_CA"))
    .addHelpText("after", EXIT_CODE_HELP)
    .showSuggestionAfterError()
    // Errors are printed by printFailure (as JSON with --json), and exit codes are ours, not commander's.
    .exitOverride()
    .configureOutput({ outputError: () => {} });
  addKeysCommands(program);
  addRegisterCommand(program);
  addEmailCommands(program);
  addLoginCommands(program);
  addAccountCommands(program);
  addPasswordRecoveryCommands(program);
  addRecoveryCommands(program);
  addSessionsCommands(program);
  addDeviceCommands(program);
  addAuditCommand(program);
  addChatCommand(program);
  addAdminCommands(program);
  return program;
}

async function runCommandLine(args: string[]): Promise<ExitCode> {
  const program = buildProgram();
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT_CODES.ok;
  } catch (error) {
    if (isCommanderSuccess(error)) return EXIT_CODES.ok;
    const failure = asCliFailure(error);
    printFailure(failure, program.opts().json === true || args.includes("--json"));
    return failure.exitCode;
  }
}

const args = process.argv.slice(2);
const interactive = process.stdin.isTTY === true && process.stderr.isTTY === true;
if (args.length === 0 && interactive) {
  await runMenu(runCommandLine);
} else {
  process.exitCode = await runCommandLine(args);
}
