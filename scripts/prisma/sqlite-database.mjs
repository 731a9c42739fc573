// SQLite as the stand-in engine sees it: a file named by a `file:` URL, reached through
// @prisma/adapter-better-sqlite3, with the few things the Wasm engine cannot do for itself.

import { closeSync, existsSync, mkdirSync, openSync, rmSync } from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import BetterSqlite3 from "better-sqlite3";
import { EngineError } from "./engine-error.mjs";

// Same permissions the hub uses for its data folder: the database holds password hashes.
const DATABASE_FILE_MODE = 0o600;
const DATABASE_DIRECTORY_MODE = 0o700;
// Files SQLite keeps beside the database; left behind, SQLite could roll a stale journal into
// the next database created under the same name.
const SIDE_FILE_SUFFIXES = ["", "-journal", "-wal", "-shm"];
const IN_MEMORY = ":memory:";

/**
 * Resolves `file:./data/pairgate.db?x=y` to an absolute path. Relative paths are taken from the
 * working directory, which the CLI sets to the project root when it starts the engine.
 */
export function sqliteFilePath(/** @type {string} */ url) {
  const withoutScheme = url.replace(/^file:(\/\/)?/, "");
  const withoutQuery = withoutScheme.split("?")[0] ?? "";
  if (withoutQuery === IN_MEMORY) return IN_MEMORY;
  return path.resolve(withoutQuery);
}

/** A SQLite database the stand-in can create, delete and connect to. */
export class SqliteDatabase {
  provider = "sqlite";
  /** @type {Set<{ dispose(): Promise<void> }>} */
  #openConnections = new Set();

  constructor(/** @type {string} */ url, /** @type {string | undefined} */ shadowDatabaseUrl) {
    this.filePath = sqliteFilePath(url);
    this.shadowFilePath = shadowDatabaseUrl ? sqliteFilePath(shadowDatabaseUrl) : IN_MEMORY;
  }

  get name() {
    return path.basename(this.filePath);
  }

  /** An empty in-memory database of the same kind, for work that must not touch the real one. */
  scratchTwin() {
    return new SqliteDatabase(`file:${IN_MEMORY}`, undefined);
  }

  /** Where the database is, for messages. */
  get location() {
    return this.filePath;
  }

  exists() {
    return this.filePath === IN_MEMORY || existsSync(this.filePath);
  }

  /**
   * Throws P1003 when the file does not exist (the one answer that makes `migrate dev` create
   * it), P1001 when it cannot be opened as a database: opening it read-only and reading its
   * header fails on a file that is not one.
   */
  assertConnectable() {
    if (this.filePath === IN_MEMORY) return;
    if (!this.exists()) throw new EngineError("P1003", `Database ${this.name} does not exist at ${this.filePath}`);
    try {
      const connection = new BetterSqlite3(this.filePath, { readonly: true, fileMustExist: true });
      try {
        connection.pragma("schema_version");
      } finally {
        connection.close();
      }
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new EngineError("P1001", `Can't open database ${this.filePath}: ${reason}`);
    }
  }

  /** Creates the folder and an empty file, private to the owner, leaving an existing file alone. */
  create() {
    if (this.filePath === IN_MEMORY) return;
    mkdirSync(path.dirname(this.filePath), { recursive: true, mode: DATABASE_DIRECTORY_MODE });
    closeSync(openSync(this.filePath, "a", DATABASE_FILE_MODE));
  }

  /** What the native engine does for `reset` and `drop-database` on SQLite: remove the files. */
  async drop() {
    await this.closeConnections();
    if (this.filePath === IN_MEMORY) return;
    for (const suffix of SIDE_FILE_SUFFIXES) rmSync(`${this.filePath}${suffix}`, { force: true });
  }

  /** The native engine's `reset` on SQLite deletes the file; the next connection makes a new one. */
  reset() {
    return this.drop();
  }

  async closeConnections() {
    const connections = [...this.#openConnections];
    this.#openConnections.clear();
    for (const connection of connections) await connection.dispose();
  }

  /** In-memory databases vanish with their connections; files are the user's to keep. */
  dispose() {
    return this.closeConnections();
  }

  /** An unbound, migration-aware adapter factory; see bindMigrationAwareSqlAdapterFactory. */
  adapterFactory() {
    if (!this.exists()) this.create();
    const factory = new PrismaBetterSqlite3({ url: this.filePath }, { shadowDatabaseUrl: this.shadowFilePath });
    return {
      provider: factory.provider,
      adapterName: factory.adapterName,
      connect: async () => this.#track(acceptScripts(await factory.connect())),
      connectToShadowDb: async () => acceptScripts(await factory.connectToShadowDb()),
    };
  }

  #track(/** @type {any} */ connection) {
    this.#openConnections.add(connection);
    const dispose = connection.dispose.bind(connection);
    connection.dispose = async () => {
      this.#openConnections.delete(connection);
      await dispose();
    };
    return connection;
  }
}

/**
 * The engine sends whole migration scripts through `executeRaw` without arguments, but
 * better-sqlite3 prepares one statement at a time and refuses the rest ("more than one
 * statement"), which surfaces as P3006 on the shadow database. Preparing fails before anything
 * runs, so such a call can safely be retried as a script.
 */
function acceptScripts(/** @type {any} */ connection) {
  const executeRaw = connection.executeRaw.bind(connection);
  connection.executeRaw = async (/** @type {{ sql: string, args: unknown[] }} */ query) => {
    try {
      return await executeRaw(query);
    } catch (error) {
      if (query.args.length > 0 || !holdsSeveralStatements(error)) throw error;
      await connection.executeScript(query.sql);
      return 0;
    }
  };
  return connection;
}

function holdsSeveralStatements(/** @type {unknown} */ error) {
  return error instanceof RangeError && /more than one statement/.test(error.message);
}
