import { randomUUID } from "node:crypto";
import type pg from "pg";
import { loadPg } from "./pg-driver.ts";
import { systemClock } from "../clock.ts";
import { describeDatabase, postgresConnectionConfig, postgresSchema } from "./database-url.ts";
import type { MigrationFile } from "./migration-files.ts";
import { assertHistoryIsSound, messageOf, type MigrationLog, type MigrationRecord, pendingMigrations } from "./migration-history.ts";

// The session-level advisory lock Prisma Migrate itself takes on PostgreSQL, so hub processes
// starting together, and a `prisma migrate deploy` running meanwhile, apply migrations one at a time.
const PRISMA_MIGRATE_ADVISORY_LOCK_KEY = 72707369;

// Prisma's own bookkeeping table on PostgreSQL, column for column, so `prisma migrate status`
// and `prisma migrate deploy` read what the hub wrote and the other way round.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const RECORD_APPLIED = `INSERT INTO "_prisma_migrations"
  ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
  VALUES ($1, $2, clock_timestamp(), $3, NULL, $4, 1)`;

const RECORD_FAILED = `INSERT INTO "_prisma_migrations"
  ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
  VALUES ($1, $2, NULL, $3, $4, $5, 0)`;

/**
 * Brings a PostgreSQL database up to the given migrations (see applyMigrations), holding Prisma
 * Migrate's advisory lock throughout: each pending one in its own transaction, recorded in
 * `_prisma_migrations` as Prisma records it. The database itself must exist.
 */
export async function applyPostgresMigrations(databaseUrl: string, migrations: MigrationFile[], log: MigrationLog): Promise<string[]> {
  const client = await connect(databaseUrl);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_ADVISORY_LOCK_KEY]);
    await ensureSchema(client, postgresSchema(databaseUrl));
    await client.query(CREATE_MIGRATIONS_TABLE);
    // Read under the lock: another process may have applied migrations while this one waited.
    const { rows: records } = await client.query<MigrationRecord>(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`);
    assertHistoryIsSound("postgresql", migrations, records, log);
    const applied: string[] = [];
    for (const migration of pendingMigrations(migrations, records)) {
      await applyMigration(client, migration);
      log.info({ migration: migration.name }, "applied database migration");
      applied.push(migration.name);
    }
    return applied;
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end();
  }
}

async function connect(databaseUrl: string): Promise<pg.Client> {
  const client = new (loadPg().Client)(postgresConnectionConfig(databaseUrl));
  // A connection lost mid-migration rejects the query in flight; this only keeps the event from crashing the process.
  client.on("error", () => {});
  try {
    await client.connect();
    return client;
  } catch (error) {
    await client.end().catch(() => {});
    throw new Error(`Cannot connect to the database ${describeDatabase(databaseUrl)}: ${messageOf(error)}`, { cause: error });
  }
}

/** Creates the URL's schema if needed; asking first spares the CREATE privilege when it exists. */
async function ensureSchema(client: pg.Client, schema: string): Promise<void> {
  const { rowCount } = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
  if (rowCount === 0) await client.query(`CREATE SCHEMA "${schema.replaceAll('"', '""')}"`);
}

/**
 * The script goes through the simple query protocol, which runs all its statements; inside
 * BEGIN/COMMIT, a failing statement rolls back the whole migration and its record with it.
 */
async function applyMigration(client: pg.Client, migration: MigrationFile): Promise<void> {
  // The machine's time: migrations run before any hub, and the Prisma CLI reads these records too.
  const startedAt = systemClock.now();
  try {
    await client.query("BEGIN");
    await client.query(migration.script);
    await client.query(RECORD_APPLIED, [randomUUID(), migration.checksum, migration.name, startedAt]);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const unrecorded = await recordFailedMigration(client, migration, startedAt, error);
    throw new Error(`Database migration ${migration.name} failed and was rolled back: ${messageOf(error)}${unrecorded}`, { cause: error });
  }
}

/**
 * Kept as Prisma keeps a failed migration (no finished_at, the error in logs), so that
 * `prisma migrate status` shows it and `prisma migrate resolve` can clear it. Returns a note
 * for the error message when even that write fails, rather than hiding the first error.
 */
async function recordFailedMigration(client: pg.Client, migration: MigrationFile, startedAt: Date, error: unknown): Promise<string> {
  try {
    await client.query(RECORD_FAILED, [randomUUID(), migration.checksum, migration.name, messageOf(error), startedAt]);
    return "";
  } catch (recordError) {
    return ` (the failure could not be recorded either: ${messageOf(recordError)})`;
  }
}
