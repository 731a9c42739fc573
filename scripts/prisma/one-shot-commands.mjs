// `schema-engine --datasource <json> cli <command>`: the short-lived form the CLI uses before
// `migrate dev` and `db push` to find out whether the database exists and to create it.
// Success is exit code 0. A failure is one ERROR log line carrying a Prisma error code, then
// exit code 1; the CLI ignores the first stderr line, so a start-up line goes first.

import { databaseTargetFor } from "./database-target.mjs";
import { logEngineError, writeLogLine } from "./engine-log.mjs";

/** @type {Record<string, (database: ReturnType<typeof databaseTargetFor>) => Promise<void> | void>} */
const COMMANDS = {
  // P1003 (no such database) is the one answer that makes `migrate dev` go on to create it.
  "can-connect-to-database": (database) => database.assertConnectable(),
  "create-database": (database) => database.create(),
  "drop-database": (database) => database.drop(),
};

/** @returns {Promise<number>} the process exit code */
export async function runOneShotCommand(
  /** @type {string} */ command,
  /** @type {import("./engine-arguments.mjs").Datasource} */ datasource,
) {
  writeLogLine("INFO", { message: `Starting the schema engine stand-in (cli ${command})` });
  const run = COMMANDS[command];
  if (!run) {
    logEngineError({ message: `Unknown schema engine cli command: "${command}"` });
    return 1;
  }
  try {
    await run(databaseTargetFor(datasource));
    return 0;
  } catch (error) {
    const { code, message } = /** @type {{ code?: unknown, message?: unknown }} */ (error);
    logEngineError({ code: typeof code === "string" && /^P\d{4}$/.test(code) ? code : undefined, message: String(message) });
    return 1;
  }
}
