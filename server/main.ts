import { Command, CommanderError } from "commander";
import { usernameSchema } from "#protocol";
import { promoteToAdmin } from "./admin/admin-command.ts";
import { readSettings, SettingsError } from "./config.ts";
import { startHub } from "./hub.ts";
import { describeFileProblem } from "../common/file-problems.ts";
import { createHubLogger } from "./logger.ts";

/** What `npm run hub` exits with, after sysexits.h, so scripts can tell the failures apart. */
const EXIT = {
  ok: 0,
  failure: 1,
  usage: 64, // EX_USAGE: unknown command, missing or invalid argument
  noInput: 66, // EX_NOINPUT: no hub database where the settings point
  noUser: 67, // EX_NOUSER: no account with that username
  config: 78, // EX_CONFIG: a setting in the environment is invalid
} as const;

const HELP_AFTER = `
With no command, the hub serves (as \`npm start\` does). Settings come from the environment
(PAIRGATE_DATA_DIR, DATABASE_URL, ...): give \`admin create\` the same ones as the hub.

Exit codes: 0 done, 1 failed, 64 usage, 66 no hub database, 67 no such user, 78 invalid setting.`;

/** A refusal the command explains itself, with its exit code. */
class CommandFailure extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
  }
}

function buildProgram(): Command {
  const program = new Command("pairgate-hub")
    .description("The PairGate hub, and the commands that manage it.")
    .addHelpText("after", HELP_AFTER)
    .showSuggestionAfterError()
    .exitOverride();
  program.command("serve", { isDefault: true }).description("serve the hub until SIGINT or SIGTERM (the default)").action(serve);
  const admin = program.command("admin").description("manage the hub's administrators");
  admin
    .command("create")
    .description("make an existing, registered account an administrator")
    .argument("<username>", "the account, registered beforehand (pairgate register)")
    .action(createAdmin);
  return program;
}

/** `npm start`: the hub with settings from the environment, stopped cleanly by SIGINT/SIGTERM. */
async function serve(): Promise<void> {
  const settings = readSettings();
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
}

/** `npm run hub -- admin create USERNAME`: see promoteToAdmin. */
async function createAdmin(typed: string): Promise<void> {
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
