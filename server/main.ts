import { Command, CommanderError } from "commander";
import { usernameSchema } from "#protocol";
import { promoteToAdmin } from "./admin/admin-command.ts";
import { SettingsError, type Settings } from "./config.ts";
import { CommandFailure, EXIT } from "./operations/command-failure.ts";
import { runBackup, runCheck, runRestore, runRotation } from "./operations/hub-commands.ts";
import { loadSettings } from "./settings-file.ts";
import { startHub } from "./hub.ts";
import { describeFileProblem } from "../common/file-problems.ts";
import { createHubLogger } from "./logger.ts";

const HELP_AFTER = `
With no command, the hub serves (\`start\`, as \`npm start\` does). Settings come from the
environment (PAIRGATE_DATA_DIR, DATABASE_URL, ...) over an optional settings file (--config FILE or
PAIRGATE_CONFIG): give every command the same ones as the hub. See docs/OPERATIONS.md.

Exit codes: 0 done, 1 failed (or check found a problem), 64 usage, 65 unusable backup file,
66 no hub database, 67 no such user, 69 database unreachable, 75 a hub runs on the database,
78 invalid setting.`;

function buildProgram(): Command {
  const program = new Command("pairgate-hub")
    .description("The PairGate hub, and the commands that manage it.")
    .addHelpText("after", HELP_AFTER)
    .showSuggestionAfterError()
    .exitOverride();
  program.option("-c, --config <file>", "a settings file (JSON, or NAME = value lines); the environment overrides it");
  const settings = () => loadSettings(process.env, program.opts<{ config?: string }>().config);
  program
    .command("start", { isDefault: true })
    .alias("serve")
    .description("serve the hub until SIGINT or SIGTERM (the default); applies pending migrations first")
    .action(() => serve(settings()));
  program.command("check").description("check the settings, the database, its migrations and the secret key; exits 1 on any problem").action(() => runCheck(settings()));
  program
    .command("backup")
    .description("copy the SQLite database to FILE (0600), safely while the hub runs; on PostgreSQL, says how to use pg_dump")
    .argument("<file>", "a new file for the backup")
    .action((file: string) => runBackup(settings(), file));
  program
    .command("restore")
    .description("replace the SQLite database with a backup; refused while a hub runs on it")
    .argument("<file>", "a file made by `pairgate-hub backup`")
    .action((file: string) => runRestore(settings(), file));
  program
    .command("rotate-secret-key")
    .description("re-seal every device secret under a new secret key; refused while a hub runs")
    .option("--forget-recovery-codes", "discard unused recovery codes instead of keeping them verifiable under the old key (when that key leaked)")
    .action((options: { forgetRecoveryCodes?: boolean }) => runRotation(settings(), options.forgetRecoveryCodes === true));
  const admin = program.command("admin").description("manage the hub's administrators");
  admin
    .command("create")
    .description("make an existing, registered account an administrator")
    .argument("<username>", "the account, registered beforehand (pairgate register)")
    .action((username: string) => createAdmin(settings, username));
  return program;
}

/** `npm start`: the hub with settings from the environment, stopped cleanly by SIGINT/SIGTERM. */
async function serve(settings: Settings): Promise<void> {
  const log = createHubLogger(settings.logLevel);
  const starting = startHub({ settings, log });
  // Listen for the signals before the hub says it listens: a stop that arrives while it starts
  // waits for the start, then closes it, rather than killing the process half-way.
  const stop = (signal: NodeJS.Signals) => {
    log.info({ signal }, "shutting down");
    starting
      .then((hub) => hub.close())
      .then(
        () => process.exit(EXIT.ok),
        (error: unknown) => {
          log.error({ err: error }, "shutdown failed");
          process.exit(EXIT.failure);
        },
      );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let hub;
  try {
    hub = await starting;
  } catch (error) {
    throw new CommandFailure(EXIT.failure, `failed to start: ${startFailure(error, settings)}`);
  }
  console.error(`PairGate hub ready at ${hub.url} (clients trust ${hub.caFile})`);
  if (hub.metricsUrl) console.error(`Metrics at ${hub.metricsUrl}`);
}

/** `npm run hub -- admin create USERNAME`: see promoteToAdmin. */
async function createAdmin(readSettings: () => Settings, typed: string): Promise<void> {
  const parsed = usernameSchema.safeParse(typed);
  if (!parsed.success) throw new CommandFailure(EXIT.usage, `"${typed}" is not a username: ${parsed.error.issues[0]?.message ?? "invalid"}.`);
  const settings = readSettings();
  const promotion = await promoteToAdmin(settings, parsed.data);
  if (!promotion.ok && promotion.reason === "no_database") {
    throw new CommandFailure(EXIT.noInput, `no hub database at ${promotion.database}; start the hub with these settings and register the account first.`);
  }
  if (!promotion.ok) {
    throw new CommandFailure(EXIT.noUser, `no account "${parsed.data}" in ${promotion.database}; register it first (pairgate register), then run this again.`);
  }
  if (promotion.alreadyAdmin) console.log(`${promotion.username} is already an administrator; nothing changed.`);
  else console.log(`${promotion.username} is now an administrator (from their next login or connection).`);
  if (promotion.locked) console.log(`Note: ${promotion.username} is locked; another administrator must unlock the account before it can log in.`);
}

function exitCodeFor(error: unknown): number {
  // Commander has already printed its own message (or the help) for these.
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  if (error instanceof SettingsError) {
    console.error(`pairgate-hub: ${error.message}`);
    return EXIT.config;
  }
  if (error instanceof CommandFailure) {
    console.error(`pairgate-hub: ${error.message}`);
    return error.exitCode;
  }
  console.error(`pairgate-hub: failed: ${messageOf(error)}`);
  return EXIT.failure;
}

/** The usual reasons a hub cannot listen, in words; anything else as its own message. */
function startFailure(error: unknown, settings: { host: string; port: number }): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${settings.host}:${settings.port}`;
  if (code === "EADDRINUSE") return `another program already listens on ${where}; stop it, or choose another port with PAIRGATE_PORT.`;
  if (code === "EACCES") return `not allowed to listen on ${where} (ports below 1024 need privileges); choose another port with PAIRGATE_PORT.`;
  if (code === "EADDRNOTAVAIL") return `${settings.host} is not an address of this machine; set PAIRGATE_HOST to one of its addresses.`;
  const problem = describeFileProblem(error);
  const path = (error as NodeJS.ErrnoException | undefined)?.path;
  if (problem && path) return `cannot use ${path}: ${problem}. Check PAIRGATE_DATA_DIR and PAIRGATE_CERT_DIR.`;
  return messageOf(error);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

try {
  await buildProgram().parseAsync(process.argv.slice(2), { from: "user" });
} catch (error) {
  // Exit at once: a hub that failed half-way may hold workers or handles open.
  process.exit(exitCodeFor(error));
}
