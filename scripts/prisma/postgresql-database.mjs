// PostgreSQL as the stand-in engine sees it: a database on a server, named by a postgresql://
// URL, reached through @prisma/adapter-pg, with what that adapter does not do for the Wasm engine:
// - the engine's catalog queries return PostgreSQL's internal "char" type (OID 18), which the
//   adapter refuses ("Unsupported column type char"); such columns are read as text here;
// - the adapter's own shadow database connects to the main database when given a connection
//   string, and drops the shadow database before closing its pool (which fails and leaves it
//   behind); the shadow database is created, connected (by discrete fields) and dropped here;
// - the adapter runs a script by splitting it at every ";", even inside comments and strings;
//   here a script goes to the server whole, as the native engine sends it.

import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { EngineError } from "./engine-error.mjs";

const CHAR_TYPE_OID = 18;
const TEXT_TYPE_OID = 25;
const DEFAULT_PORT = 5432;
const DEFAULT_SCHEMA = "public";
// Where CREATE and DROP DATABASE run from; template1 exists even where postgres was dropped.
const MAINTENANCE_DATABASES = ["postgres", "template1"];
// The native engine's name for the shadow databases it makes (`migrate dev`, `migrate diff`).
const SHADOW_DATABASE_PREFIX = "prisma_migrate_shadow_db_";
const SCRATCH_DATABASE_PREFIX = "prisma_scratch_db_";
const DATABASE_DOES_NOT_EXIST = "3D000";
const DUPLICATE_DATABASE = "42P04";

/**
 * @typedef {{ host: string, port: number, user?: string, password?: string, database: string,
 *             ssl?: boolean | { rejectUnauthorized: boolean } }} ConnectionFields
 */

/** `postgresql://user:password@host:port/database?schema=s&sslmode=m` → discrete pg fields. */
export function postgresConnectionFields(/** @type {string} */ url) {
  const parsed = new URL(url);
  const query = parsed.searchParams;
  /** @type {ConnectionFields} */
  const fields = {
    // `?host=/var/run/postgresql` names a Unix socket folder, as libpq allows.
    host: query.get("host") ?? (decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, "$1") || "localhost"),
    port: Number(parsed.port || query.get("port") || DEFAULT_PORT),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || decodeURIComponent(parsed.username) || "postgres",
  };
  const user = decodeURIComponent(parsed.username) || query.get("user");
  if (user) fields.user = user;
  const password = parsed.password ? decodeURIComponent(parsed.password) : query.get("password");
  if (password) fields.password = password;
  const ssl = sslFor(query.get("sslmode"));
  if (ssl !== undefined) fields.ssl = ssl;
  return fields;
}

function sslFor(/** @type {string | null} */ mode) {
  if (mode === null || mode === "disable" || mode === "prefer" || mode === "allow") return undefined;
  if (mode === "verify-full" || mode === "verify-ca") return true;
  return { rejectUnauthorized: false };
}

/** A PostgreSQL database the stand-in can create, drop, reset and connect to. */
export class PostgresDatabase {
  provider = "postgresql";
  /** @type {Set<{ dispose(): Promise<void> }>} */
  #openConnections = new Set();

  static fromUrl(/** @type {string} */ url, /** @type {string | undefined} */ shadowDatabaseUrl) {
    return new PostgresDatabase(postgresConnectionFields(url), {
      schema: new URL(url).searchParams.get("schema") ?? DEFAULT_SCHEMA,
      shadowFields: shadowDatabaseUrl ? postgresConnectionFields(shadowDatabaseUrl) : undefined,
    });
  }

  /**
   * @param {ConnectionFields} fields
   * @param {{ schema: string, shadowFields?: ConnectionFields, temporary?: boolean }} options
   *   temporary: made by the stand-in for its own use, and dropped by dispose()
   */
  constructor(fields, { schema, shadowFields, temporary = false }) {
    this.fields = fields;
    this.schema = schema;
    this.shadowFields = shadowFields;
    this.temporary = temporary;
  }

  get name() {
    return this.fields.database;
  }

  /** Where the database is, for messages (never the password). */
  get location() {
    return `${this.fields.host}:${this.fields.port}/${this.fields.database}`;
  }

  /** A new, empty database on the same server, for work that must not touch the real one. */
  scratchTwin() {
    const database = `${SCRATCH_DATABASE_PREFIX}${randomUUID()}`;
    return new PostgresDatabase({ ...this.fields, database }, { schema: DEFAULT_SCHEMA, temporary: true });
  }

  /** Throws P1003 when the database does not exist, P1001 when the server cannot be reached. */
  async assertConnectable() {
    const client = new pg.Client(this.fields);
    try {
      await client.connect();
      await client.query("SELECT 1");
    } catch (error) {
      if (/** @type {any} */ (error)?.code === DATABASE_DOES_NOT_EXIST) {
        throw new EngineError("P1003", `Database ${this.name} does not exist at ${this.location}`);
      }
      throw new EngineError("P1001", `Can't reach database server at ${this.location}: ${messageOf(error)}`);
    } finally {
      await client.end().catch(() => {});
    }
  }

  async create() {
    try {
      await onServer(this.fields, `CREATE DATABASE ${quoteIdentifier(this.name)}`);
    } catch (error) {
      if (/** @type {any} */ (error)?.code !== DUPLICATE_DATABASE) throw error;
    }
  }

  async drop() {
    await this.closeConnections();
    await dropDatabase(this.fields, this.name);
  }

  /** What the native engine's `reset` does on PostgreSQL: empty the schema, keep the database. */
  async reset() {
    await this.closeConnections();
    await emptySchema(this.fields, this.schema);
  }

  async closeConnections() {
    const connections = [...this.#openConnections];
    this.#openConnections.clear();
    for (const connection of connections) await connection.dispose();
  }

  /** Closes every connection, and drops the database if the stand-in made it for itself. */
  async dispose() {
    await this.closeConnections();
    if (this.temporary) await dropDatabase(this.fields, this.name);
  }

  /** An unbound, migration-aware adapter factory; see bindMigrationAwareSqlAdapterFactory. */
  adapterFactory() {
    return {
      provider: "postgres",
      adapterName: "@prisma/adapter-pg",
      connect: async () => this.#track(await connectAdapter(this.fields, this.schema)),
      connectToShadowDb: async () => this.#track(await this.#connectToShadowDatabase()),
    };
  }

  async #connectToShadowDatabase() {
    if (this.shadowFields) {
      // A shadow database the user configured is theirs to keep: emptied, not dropped.
      await emptySchema(this.shadowFields, this.schema);
      return connectAdapter(this.shadowFields, this.schema);
    }
    const database = `${SHADOW_DATABASE_PREFIX}${randomUUID()}`;
    await onServer(this.fields, `CREATE DATABASE ${quoteIdentifier(database)}`);
    try {
      const connection = await connectAdapter({ ...this.fields, database }, this.schema);
      return afterDispose(connection, () => dropDatabase(this.fields, database));
    } catch (error) {
      await dropDatabase(this.fields, database);
      throw error;
    }
  }

  #track(/** @type {any} */ connection) {
    this.#openConnections.add(connection);
    return afterDispose(connection, async () => {
      this.#openConnections.delete(connection);
    });
  }
}

/** An adapter-pg connection over its own pool, reading "char" columns as text, running scripts whole. */
async function connectAdapter(/** @type {ConnectionFields} */ fields, /** @type {string} */ schema) {
  // Prisma's migrations name tables without a schema, so the URL's `schema` must be searched
  // first, as the native engine arranges too.
  const options = `-c search_path=${quoteIdentifier(schema)}`;
  const pool = new pg.Pool({ ...fields, options, Client: CharAsTextClient, max: 2 });
  /** @type {any} */
  const connection = await new PrismaPg(pool, { schema, disposeExternalPool: true }).connect();
  connection.executeScript = async (/** @type {string} */ script) => {
    try {
      // The simple query protocol runs every statement of the script, in one implicit transaction.
      await pool.query(script);
    } catch (error) {
      connection.onError(error);
    }
  };
  return connection;
}

/** Runs `after` once the connection's own dispose has finished, even if it failed. */
function afterDispose(/** @type {any} */ connection, /** @type {() => Promise<void>} */ after) {
  const dispose = connection.dispose.bind(connection);
  let disposing;
  connection.dispose = () => {
    disposing ??= (async () => {
      try {
        await dispose();
      } finally {
        await after();
      }
    })();
    return disposing;
  };
  return connection;
}

/** A pg client that reports "char" (OID 18) columns as text, which adapter-pg can read. */
class CharAsTextClient extends pg.Client {
  /** pg-pool calls this with a callback; adapter-pg's pool queries go through it. */
  query(/** @type {any} */ config, /** @type {any} */ values, /** @type {any} */ callback) {
    if (typeof values === "function") [values, callback] = [undefined, values];
    if (typeof config?.submit === "function") return super.query(config, values, callback);
    if (typeof callback === "function") {
      return super.query(config, values, (/** @type {any} */ error, /** @type {any} */ result) => callback(error, error ? result : relabelCharColumns(result)));
    }
    return /** @type {Promise<any>} */ (super.query(config, values)).then(relabelCharColumns);
  }
}

function relabelCharColumns(/** @type {any} */ result) {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of part?.fields ?? []) {
      if (field.dataTypeID === CHAR_TYPE_OID) field.dataTypeID = TEXT_TYPE_OID;
    }
  }
  return result;
}

/** Runs one statement from a maintenance database of the same server (CREATE/DROP DATABASE). */
async function onServer(/** @type {ConnectionFields} */ fields, /** @type {string} */ sql) {
  let lastError;
  for (const database of MAINTENANCE_DATABASES) {
    const client = new pg.Client({ ...fields, database });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      if (/** @type {any} */ (error)?.code === DATABASE_DOES_NOT_EXIST) continue;
      throw error;
    }
    try {
      return await client.query(sql);
    } finally {
      await client.end();
    }
  }
  throw lastError;
}

/** FORCE ends other sessions first (PostgreSQL 13+), so a pool that is still closing cannot block it. */
function dropDatabase(/** @type {ConnectionFields} */ fields, /** @type {string} */ database) {
  return onServer(fields, `DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
}

async function emptySchema(/** @type {ConnectionFields} */ fields, /** @type {string} */ schema) {
  const client = new pg.Client(fields);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE; CREATE SCHEMA ${quoteIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}

function quoteIdentifier(/** @type {string} */ name) {
  return `"${name.replaceAll('"', '""')}"`;
}

function messageOf(/** @type {unknown} */ error) {
  return error instanceof Error ? error.message : String(error);
}
