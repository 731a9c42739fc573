import BetterSqlite3 from "better-sqlite3";
import { loadPg } from "../db/pg-driver.ts";
import { databaseFilePath, databaseProvider, postgresConnectionConfig, type DatabaseProvider } from "../db/database-url.ts";
import { CHECKED_IN_MIGRATIONS } from "../db/migrate.ts";
import { readMigrationFiles } from "../db/migration-files.ts";
import { assertHistoryIsSound, messageOf, pendingMigrations, type MigrationRecord } from "../db/migration-history.ts";

const SELECT_RECORDS = `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"`;

export type MigrationStatus =
  | { ok: true; pending: string[]; unknown: string[] }
  /** `reason` is one sentence for a person: a failed or edited migration. */
  | { ok: false; reason: string };

/**
 * Where a database stands against this hub's checked-in migrations, read without changing it
 * (no table is created, nothing applied): what the hub would apply at start, what it does not
 * know (a newer hub's), or why it would refuse to start.
 */
export function migrationStatus(provider: DatabaseProvider, records: MigrationRecord[]): MigrationStatus {
  const migrations = readMigrationFiles(CHECKED_IN_MIGRATIONS[provider], provider);
  try {
    assertHistoryIsSound(provider, migrations, records, { info() {}, warn() {} });
  } catch (error) {
    return { ok: false, reason: messageOf(error) };
  }
  const unknown = records.filter((record) => record.rolled_back_at === null && !migrations.some((migration) => migration.name === record.migration_name));
  return { ok: true, pending: pendingMigrations(migrations, records).map((migration) => migration.name), unknown: unknown.map((record) => record.migration_name) };
}

/** The `_prisma_migrations` rows of a SQLite file opened by the caller; none when the table is missing. */
export function sqliteMigrationRecords(db: BetterSqlite3.Database): MigrationRecord[] {
  const table = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
  return table ? (db.prepare(SELECT_RECORDS).all() as MigrationRecord[]) : [];
}

/** The database's migration records; throws when it cannot be reached or read. */
export async function readMigrationRecords(databaseUrl: string): Promise<MigrationRecord[]> {
  if (databaseProvider(databaseUrl) === "sqlite") {
    const db = new BetterSqlite3(databaseFilePath(databaseUrl), { fileMustExist: true, timeout: 5_000 });
    try {
      return sqliteMigrationRecords(db);
    } finally {
      db.close();
    }
  }
  const client = new (loadPg().Client)(postgresConnectionConfig(databaseUrl));
  client.on("error", () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS exists`);
    if (!rows[0]?.exists) return [];
    return (await client.query<MigrationRecord>(SELECT_RECORDS)).rows;
  } finally {
    await client.end().catch(() => {});
  }
}
