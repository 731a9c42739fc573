// The schema engine's JSON-RPC methods, answered by the Wasm engine.
//
// Most names map one to one onto the Wasm engine's methods. The rest differ from the native
// engine in ways the CLI notices, and are handled here:
// - getDatabaseVersion is the Wasm engine's `version`;
// - diff returns its script, which the native engine instead sends to the CLI as a `print` call;
// - on a database without `_prisma_migrations` the Wasm engine fails with P1014 where the native
//   engine reports "no migrations table";
// - reset through the adapter leaves SQLite files in place; the native engine deletes them (and
//   empties the schema on PostgreSQL);
// - evaluateDataLoss and createMigration get no shadow database in the Wasm build, and only work
//   when an earlier call left the schema of the migration history in the engine's cache.

import { methodNotFound } from "./rpc-errors.mjs";
import { wasmPanics } from "./wasm-schema-engine.mjs";

const MIGRATIONS_TABLE_MISSING = "P1014";
const NO_FILTERS = { externalTables: [], externalEnums: [] };
// Empty history for creating `_prisma_migrations`; no lockfile content means no provider check.
const EMPTY_MIGRATIONS = {
  baseDir: ".",
  lockfile: { path: "migration_lock.toml", content: null },
  migrationDirectories: [],
  shadowDbInitScript: "",
};

const PLAIN_METHODS = [
  "applyMigrations",
  "dbExecute",
  "debugPanic",
  "ensureConnectionValidity",
  "introspect",
  "introspectSql",
  "schemaPush",
];
// Calls that read `_prisma_migrations` and that the native engine answers on a fresh database.
const NEEDS_MIGRATIONS_TABLE = ["devDiagnostic", "markMigrationApplied", "markMigrationRolledBack"];
// Calls that compare with the schema of the migration history without replaying it themselves.
const NEEDS_HISTORY_SCHEMA = ["evaluateDataLoss", "createMigration"];
const NO_SHADOW_DATABASE = /shadow DB must be provided through an external factory/;

/**
 * @param {import("./engine-session.mjs").EngineSession} session
 * @param {{ call(method: string, params: unknown): Promise<unknown> }} cli the CLI end of the connection
 * @returns {(method: string, params: any) => Promise<unknown>}
 */
export function createMethodHandler(session, cli) {
  return async (method, params) => {
    // Nothing is safe to call after a Wasm panic; the process exits once its answer is out.
    if (wasmPanics.lastMessage !== undefined) throw new Error(`The schema engine crashed: ${wasmPanics.lastMessage}`);
    if (PLAIN_METHODS.includes(method)) return callEngine(await session.mainEngine(), method, params);
    if (NEEDS_MIGRATIONS_TABLE.includes(method)) return callWithMigrationsTable(session, method, params);
    if (NEEDS_HISTORY_SCHEMA.includes(method)) return callWithHistorySchema(session, method, params);
    switch (method) {
      case "diagnoseMigrationHistory":
        return diagnoseMigrationHistory(session, params);
      case "diff":
        return diff(session, cli, params);
      case "getDatabaseVersion":
        return (await session.mainEngine()).version();
      case "reset":
        return session.resetDatabase();
      case "createDatabase":
        await session.database.create();
        return { databaseName: session.database.name };
      default:
        throw methodNotFound(method);
    }
  };
}

function callEngine(/** @type {any} */ engine, /** @type {string} */ method, /** @type {unknown} */ params) {
  return engine[method](params);
}

async function callWithMigrationsTable(/** @type {any} */ session, /** @type {string} */ method, /** @type {any} */ params) {
  const engine = await session.mainEngine();
  try {
    return await callEngine(engine, method, params);
  } catch (error) {
    if (!isMissingMigrationsTable(error)) throw error;
    await createMigrationsTable(engine);
    return callEngine(engine, method, params);
  }
}

/**
 * `migrate dev` calls these right after applying pending migrations, so the whole history is
 * applied, and a drift check replays exactly that history on the shadow database and caches
 * its schema under the same key these calls look up.
 */
async function callWithHistorySchema(/** @type {any} */ session, /** @type {string} */ method, /** @type {any} */ params) {
  const engine = await session.mainEngine();
  try {
    return await callEngine(engine, method, params);
  } catch (error) {
    if (!NO_SHADOW_DATABASE.test(String(/** @type {any} */ (error)?.message))) throw error;
  }
  await engine.diagnoseMigrationHistory({
    migrationsList: params.migrationsList,
    optInToShadowDatabase: true,
    filters: params.filters ?? NO_FILTERS,
  });
  return callEngine(engine, method, params);
}

/**
 * `migrate status` must stay read-only, so a table created only to be able to answer is dropped
 * again, and the answer says it was missing, as the native engine's would.
 */
async function diagnoseMigrationHistory(/** @type {any} */ session, /** @type {any} */ params) {
  const engine = await session.mainEngine();
  try {
    return await engine.diagnoseMigrationHistory(params);
  } catch (error) {
    if (!isMissingMigrationsTable(error)) throw error;
  }
  await createMigrationsTable(engine);
  const diagnosis = await engine.diagnoseMigrationHistory(params);
  await engine.dbExecute({
    script: 'DROP TABLE "_prisma_migrations";',
    datasourceType: { tag: "url", url: session.datasource.url },
  });
  return { ...diagnosis, hasMigrationsTable: false };
}

/** Applying an empty history is the one engine call that creates `_prisma_migrations`. */
async function createMigrationsTable(/** @type {any} */ engine) {
  await engine.applyMigrations({ migrationsList: EMPTY_MIGRATIONS, filters: NO_FILTERS });
}

function isMissingMigrationsTable(/** @type {any} */ error) {
  return error?.code === MIGRATIONS_TABLE_MISSING;
}

async function diff(/** @type {any} */ session, /** @type {any} */ cli, /** @type {any} */ params) {
  const readsDatabase = [params.from, params.to].some((target) => target?.tag === "schemaDatasource");
  const engine = readsDatabase ? await session.mainEngine() : await session.scratchEngine();
  const { exitCode, stdout } = await engine.diff(params);
  if (stdout !== null && stdout !== undefined) await cli.call("print", { content: stdout });
  return { exitCode, stdout: null };
}
