import { Command, Option } from "commander";
import packageJson from "../package.json" with { type: "json" };
import { asCliFailure, CliFailure, isCommanderSuccess } from "../terminal/cli-failure.ts";
import { EXIT_CODES, type ExitCode } from "../terminal/exit-codes.ts";
import { DEFAULT_HUB_URL } from "../terminal/hub-settings.ts";
import { printFailure } from "../terminal/output.ts";
import { addCodeCommand, addListCommand } from "./commands/account-commands.ts";
import { addDecisionCommands } from "./commands/decision-commands.ts";
import { addImportCommands } from "./commands/import-commands.ts";
import { addBindCommand } from "./commands/pairing-commands.ts";
import { addPassphraseCommands } from "./commands/passphrase-commands.ts";
import { addWatchCommand } from "./commands/watch-command.ts";
import { dataFileFor, defaultDeviceName, type DeviceOptions } from "./device-settings.ts";
import { type OtpDataFile, PASSPHRASE_ENV } from "./otp-data.ts";
import { unlockForCommand } from "./data-unlock.ts";

const EXIT_CODE_HELP = `
Without a command, opens the interactive authenticator (needs a terminal).

Exit codes: 0 done, 1 failed, 2 usage or invalid input, 3 not paired, unpaired or code refused,
4 rate limited, 5 hub unreachable or TLS not trusted.

Environment: PAIRGATE_HOME (state folder), PAIRGATE_DEVICE_DATA (data file), PAIRGATE_DEVICE_PASSPHRASE
(opens a data file sealed with "pairgate-device passphrase set"), PAIRGATE_HUB, PAIRGATE_CA.`;

/** What the interactive app needs, resolved from the same options as the commands. */
export interface InteractiveSettings {
  dataFile: OtpDataFile;
  defaultHub: string;
  caFile: string | undefined;
  defaultDeviceName: string;
}

export type RunInteractive = (settings: InteractiveSettings) => Promise<void>;

function buildProgram(runInteractive: RunInteractive): Command {
  const program = new Command("pairgate-device")
    .description("PairGate authenticator: pairs with a hub, shows HOTP codes, approves or denies logins, and holds TOTP/HOTP codes of other services.")
    .version(packageJson.version)
    .option("--json", "print results as JSON on stdout")
    .addOption(new Option("--hub <url>", `the hub to pair with (default ${DEFAULT_HUB_URL})`).env("PAIRGATE_HUB"))
    .addOption(new Option("--ca <file>", "CA certificate to trust for that hub (default: $PAIRGATE_HOME/ca.pem, then ./certs/ca.pem)").env("PAIRGATE_CA"))
    .addOption(new Option("--data <file>", "the accounts file (default: $PAIRGATE_HOME/OTPData.json)").env("PAIRGATE_DEVICE_DATA"))
    .addHelpText("after", EXIT_CODE_HELP)
    .showSuggestionAfterError()
    // Errors are printed by printFailure (as JSON with --json), and exit codes are ours, not commander's.
    .exitOverride()
    .configureOutput({ outputError: () => {} })
    .action(async (_local: unknown, command: Command) => {
      if (command.args.length > 0) throw usage(`Unknown command "${command.args[0]}". See \`pairgate-device --help\`.`);
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new CliFailure("no_terminal", "The authenticator app needs a terminal. For scripts, use its commands: see `pairgate-device --help`.", EXIT_CODES.usage);
      }
      const options = command.opts<DeviceOptions>();
      const dataFile = dataFileFor(options);
      // A passphrase given to the program opens the file before the app starts; otherwise the app asks.
      if (process.env[PASSPHRASE_ENV]) await unlockForCommand(dataFile);
      await runInteractive({ dataFile, defaultHub: options.hub ?? DEFAULT_HUB_URL, caFile: options.ca, defaultDeviceName: defaultDeviceName() });
    });
  addBindCommand(program);
  addCodeCommand(program);
  addListCommand(program);
  addDecisionCommands(program);
  addWatchCommand(program);
  addImportCommands(program);
  addPassphraseCommands(program);
  // Set last, so that subcommands (which copy settings when created) still refuse extra words.
  // Here extra words reach the action, which names them: "Unknown command" beats "too many arguments".
  program.allowExcessArguments();
  return program;
}

/** Parses and runs one command line; returns the exit code, having printed any failure. */
export async function runCommandLine(args: string[], runInteractive: RunInteractive): Promise<ExitCode> {
  const program = buildProgram(runInteractive);
  try {
    await program.parseAsync(args, { from: "user" });
    return EXIT_CODES.ok;
  } catch (error) {
    if (isCommanderSuccess(error)) return EXIT_CODES.ok;
    const failure = asCliFailure(error, "pairgate-device");
    printFailure(failure, program.opts().json === true || args.includes("--json"));
    return failure.exitCode;
  }
}

function usage(message: string): CliFailure {
  return new CliFailure("usage", message, EXIT_CODES.usage);
}
