import { packageFile } from "../../common/package-files.ts";
import { databaseFilePath, databaseProvider, type DatabaseProvider } from "./database-url.ts";
import { applyPostgresMigrations } from "./migrate-postgresql.ts";
import { applySqliteMigrations } from "./migrate-sqlite.ts";
import { readMigrationFiles } from "./migration-files.ts";
import type { MigrationLog } from "./migration-history.ts";

export type { MigrationLog } from "./migration-history.ts";

/** The checked-in migrations of each provider, made by `prisma migrate dev` from prisma/models.prisma. */
export const CHECKED_IN_MIGRATIONS: Record<DatabaseProvider, string> = {
  sqlite: packageFile("prisma", "sqlite", "migrations"),
  postgresql: packageFile("prisma", "postgresql", "migrations"),
};

export interface MigrateOptions {
  /** Another migrations folder of the same provider (tests); default: the checked-in one. */
  migrationsDir?: string;
  log?: MigrationLog;
}

const noLog: MigrationLog = { info() {}, warn() {} };

/**
 * Brings the database named by DATABASE_URL (a `file:` URL or path, or a postgresql:// URL) up
 * to its provider's checked-in migrations, without the Prisma CLI: each pending
 * `migration.sql`, in order, in its own transaction, recorded in `_prisma_migrations` with its
 * checksum as Prisma records it, so the Prisma CLI and the hub can take turns. Safe when several
 * hub processes start at once. Throws, and so stops the hub, when a migration failed earlier,
 * was edited after it was applied, or fails now. Returns the names it applied.
 */
export async function applyMigrations(databaseUrl: string, { migrationsDir, log = noLog }: MigrateOptions = {}): Promise<string[]> {
  const provider = databaseProvider(databaseUrl);
  const migrations = readMigrationFiles(migrationsDir ?? CHECKED_IN_MIGRATIONS[provider], provider);
  if (provider === "postgresql") return applyPostgresMigrations(databaseUrl, migrations, log);
  return applySqliteMigrations(databaseFilePath(databaseUrl), migrations, log);
}
