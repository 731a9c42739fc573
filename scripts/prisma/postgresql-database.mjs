// PostgreSQL as the stand-in engine sees it: a database on a server, named by a postgresql://
// URL, that the stand-in can create, drop, reset and connect to (postgresql-connections.mjs).
//
// Shadow databases (`migrate dev`, `migrate diff`) are made here, not by adapter-pg: its own
// connects to the main database when given a connection string, and drops the shadow database
// before closing its pool, which fails and leaves it behind. Here the shadow database is
// created, reached by discrete connection fields, and dropped once its pool is closed.

import { randomUUID } from "node:crypto";
import pg from "pg";
import { EngineError } from "./engine-error.mjs";
import {
  afterDispose,
  connectAdapter,
  DATABASE_DOES_NOT_EXIST,
  dropDatabase,
  emptySchema,
  onServer,
  postgresConnectionFields,
  quoteIdentifier,
} from "./postgresql-connections.mjs";

const DEFAULT_SCHEMA = "public";
// The native engine's name for the shadow databases it makes.
const SHADOW_DATABASE_PREFIX = "prisma_migrate_shadow_db_";
const SCRATCH_DATABASE_PREFIX = "prisma_scratch_db_";
const DUPLICATE_DATABASE = "42P04";

/** @typedef {import("./postgresql-connections.mjs").ConnectionFields} ConnectionFields */

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

  /**
   * A database for work that must not touch the real one: the configured shadow database if
   * there is one (it is emptied before each use), else a new, empty one on the same server.
   */
  scratchTwin() {
    if (this.shadowFields) return new PostgresDatabase(this.shadowFields, { schema: this.schema, shadowFields: this.shadowFields });
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

  /** Leaves an existing database alone, without asking for CREATEDB, which its user may lack. */
  async create() {
    const { rowCount } = await onServer(this.fields, "SELECT 1 FROM pg_database WHERE datname = $1", [this.name]);
    if (rowCount !== 0) return;
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

function messageOf(/** @type {unknown} */ error) {
  return error instanceof Error ? error.message : String(error);
}
