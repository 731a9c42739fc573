import type { DatabaseProvider } from "./database-url.ts";
import { checksumMatches, type MigrationFile } from "./migration-files.ts";

/** What applyMigrations reports through; the hub's pino logger fits. */
export interface MigrationLog {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

/** A row of Prisma's `_prisma_migrations`, as far as the hub reads it. */
export interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: string | Date | null;
  rolled_back_at: string | Date | null;
}

// How to reach each provider's Prisma configuration from the command line.
const PRISMA_CONFIG_OPTION: Record<DatabaseProvider, string> = { sqlite: "", postgresql: " --config prisma.postgresql.config.ts" };

/**
 * Refuses a history the hub must not build on: a migration that failed and was not resolved,
 * or one whose migration.sql changed after it was applied. Migrations the database has and
 * this hub does not know are only reported: a newer hub may have applied them.
 */
export function assertHistoryIsSound(provider: DatabaseProvider, migrations: MigrationFile[], records: MigrationRecord[], log: MigrationLog): void {
  const failed = records.find((record) => record.finished_at === null && record.rolled_back_at === null);
  if (failed) {
    throw new Error(
      `Database migration ${failed.migration_name} failed earlier, so the hub will not start. ` +
        `Fix it, then run \`npx prisma migrate resolve --rolled-back ${failed.migration_name}${PRISMA_CONFIG_OPTION[provider]}\`.`,
    );
  }
  for (const migration of migrations) {
    const record = records.find((candidate) => isApplied(candidate, migration.name));
    if (record && !checksumMatches(migration.script, record.checksum)) {
      throw new Error(
        `Database migration ${migration.name} was modified after it was applied, so the hub will not start. ` +
          "Restore its migration.sql, and put the change in a new migration instead.",
      );
    }
  }
  for (const record of records) {
    if (record.rolled_back_at !== null || migrations.some((migration) => migration.name === record.migration_name)) continue;
    log.warn({ migration: record.migration_name }, "database has a migration this hub does not know; is it older than the database?");
  }
}

export function isApplied(record: MigrationRecord, name: string): boolean {
  return record.migration_name === name && record.finished_at !== null && record.rolled_back_at === null;
}

export function pendingMigrations(migrations: MigrationFile[], records: MigrationRecord[]): MigrationFile[] {
  return migrations.filter((migration) => !records.some((record) => isApplied(record, migration.name)));
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
