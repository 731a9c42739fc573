import { randomUUID } from "node:crypto";
import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { systemClock } from "../clock.ts";
import type { MigrationFile } from "./migration-files.ts";
import { assertHistoryIsSound, messageOf, type MigrationLog, type MigrationRecord, pendingMigrations } from "./migration-history.ts";

// The file holds password hashes and key fingerprints: owner only.
const DATABASE_FILE_MODE = 0o600;
const DATABASE_DIRECTORY_MODE = 0o700;

// Prisma's own bookkeeping table, column for column, so `prisma migrate status` and
// `prisma migrate deploy` read what the hub wrote and the other way round.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const RECORD_MIGRATION = `INSERT INTO "_prisma_migrations"
  ("id", "checksum", "finished_at", "migration_name", "logs", "started_at", "applied_steps_count")
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

/**
 * Brings a SQLite database file up to the given migrations (see applyMigrations): each pending
 * one in its own transaction, recorded in `_prisma_migrations` as Prisma records it.
 */
export function applySqliteMigrations(databaseFile: string, migrations: MigrationFile[], log: MigrationLog): string[] {
  const db = openPrivateDatabase(databaseFile);
  try {
    db.exec(CREATE_MIGRATIONS_TABLE);
    const records = db.prepare(`SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`).all() as MigrationRecord[];
    assertHistoryIsSound("sqlite", migrations, records, log);
    const applied: string[] = [];
    for (const migration of pendingMigrations(migrations, records)) {
      if (!applyMigration(db, migration)) continue;
      log.info({ migration: migration.name }, "applied database migration");
      applied.push(migration.name);
    }
    return applied;
  } finally {
    db.close();
  }
}

/** Creates the file 0600 (and its folder 0700) before SQLite can create it with default modes. */
function openPrivateDatabase(databaseFile: string): BetterSqlite3.Database {
  mkdirSync(path.dirname(databaseFile), { recursive: true, mode: DATABASE_DIRECTORY_MODE });
  closeSync(openSync(databaseFile, "a", DATABASE_FILE_MODE));
  const db = new BetterSqlite3(databaseFile);
  // WAL lets readers go on while the hub writes; it is stored in the file, so every later
  // connection (the Prisma adapter's too) uses it.
  db.pragma("journal_mode = WAL");
  db.pragma("foreign_keys = ON");
  return db;
}

/**
 * Foreign keys are switched off around the transaction, as SQLite's procedure for schema
 * changes requires: Prisma rebuilds a table by copying it and dropping the original, and with
 * the keys on that DROP would cascade-delete the rows of every table that refers to it (the
 * script's own `PRAGMA foreign_keys` lines do nothing inside a transaction). Integrity is
 * checked before commit instead. Returns false if another process applied it first.
 */
function applyMigration(db: BetterSqlite3.Database, migration: MigrationFile): boolean {
  const startedAt = prismaTimestamp();
  db.pragma("foreign_keys = OFF");
  try {
    // IMMEDIATE takes the write lock now, so two hubs starting together apply it once.
    db.exec("BEGIN IMMEDIATE");
    try {
      if (isRecordedAsApplied(db, migration.name)) {
        db.exec("COMMIT");
        return false;
      }
      db.exec(migration.script);
      assertForeignKeysHold(db);
      db.prepare(RECORD_MIGRATION).run(randomUUID(), migration.checksum, prismaTimestamp(), migration.name, null, startedAt, 1);
      db.exec("COMMIT");
      return true;
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      const unrecorded = recordFailedMigration(db, migration, startedAt, error);
      throw new Error(`Database migration ${migration.name} failed and was rolled back: ${messageOf(error)}${unrecorded}`, { cause: error });
    }
  } finally {
    db.pragma("foreign_keys = ON");
  }
}

function isRecordedAsApplied(db: BetterSqlite3.Database, name: string): boolean {
  const row = db
    .prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`)
    .get(name);
  return row !== undefined;
}

function assertForeignKeysHold(db: BetterSqlite3.Database): void {
  const violations = db.pragma("foreign_key_check") as { table: string; parent: string }[];
  const first = violations[0];
  if (first) throw new Error(`foreign key violation: a row of ${first.table} refers to a missing ${first.parent}`);
}

/**
 * Kept as Prisma keeps a failed migration (no finished_at, the error in logs), so that
 * `prisma migrate status` shows it and `prisma migrate resolve` can clear it. Returns a note
 * for the error message when even that write fails, rather than hiding the first error.
 */
function recordFailedMigration(db: BetterSqlite3.Database, migration: MigrationFile, startedAt: string, error: unknown): string {
  try {
    db.prepare(RECORD_MIGRATION).run(randomUUID(), migration.checksum, null, migration.name, messageOf(error), startedAt, 0);
    return "";
  } catch (recordError) {
    return ` (the failure could not be recorded either: ${messageOf(recordError)})`;
  }
}

/**
 * The form the Prisma SQLite adapter writes DATETIME values in: ISO 8601 with an explicit offset.
 * The machine's time: migrations run before any hub, and the Prisma CLI reads these records too.
 */
function prismaTimestamp(): string {
  return systemClock.now().toISOString().replace("Z", "+00:00");
}
