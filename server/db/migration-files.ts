import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** One checked-in migration: `prisma/<provider>/migrations/<timestamp>_<name>/migration.sql`. */
export interface MigrationFile {
  name: string;
  script: string;
  checksum: string;
}

const SCRIPT_FILE = "migration.sql";
const LOCK_FILE = "migration_lock.toml";
const SHA256_HEX_LENGTH = 64;

/**
 * Reads the migrations folder the way the Prisma CLI does: every subfolder is a migration, in
 * the order of their names (which start with a UTC timestamp).
 */
export function readMigrationFiles(migrationsDir: string, provider: string): MigrationFile[] {
  assertLockedProvider(migrationsDir, provider);
  const folders = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => a.localeCompare(b));
  return folders.map((name) => {
    const file = path.join(migrationsDir, name, SCRIPT_FILE);
    if (!existsSync(file)) throw new Error(`Migration ${name} has no ${SCRIPT_FILE} (looked in ${file}).`);
    const script = readFileSync(file, "utf8");
    return { name, script, checksum: migrationChecksum(script) };
  });
}

/** The checksum Prisma stores in `_prisma_migrations.checksum`: SHA-256 of the script, hex. */
export function migrationChecksum(script: string): string {
  return createHash("sha256").update(script, "utf8").digest("hex");
}

/**
 * Whether a stored checksum belongs to this script, with Prisma's tolerance: git may have
 * turned LF into CRLF or back since the migration was applied, and very old Prisma versions
 * wrote the hex digits without zero padding.
 */
export function checksumMatches(script: string, storedChecksum: string): boolean {
  const variants = [script, script.replaceAll("\r\n", "\n"), script.replaceAll("\r\n", "\n").replaceAll("\n", "\r\n")];
  const unpadded = storedChecksum.length !== SHA256_HEX_LENGTH;
  return variants.some((variant) => {
    const digest = createHash("sha256").update(variant, "utf8").digest();
    const rendered = unpadded ? [...digest].map((byte) => byte.toString(16)).join("") : digest.toString("hex");
    return rendered === storedChecksum;
  });
}

/** Migrations written for another database must not be replayed here. */
function assertLockedProvider(migrationsDir: string, provider: string): void {
  const lockFile = path.join(migrationsDir, LOCK_FILE);
  if (!existsSync(lockFile)) return;
  const locked = /^\s*provider\s*=\s*"([^"]*)"/m.exec(readFileSync(lockFile, "utf8"))?.[1];
  if (locked !== undefined && locked !== provider) {
    throw new Error(`The migrations in ${migrationsDir} are for ${locked}, not ${provider} (see ${LOCK_FILE}).`);
  }
}
