import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { loadPg } from "../db/pg-driver.ts";
import { databaseFilePath, databaseProvider, describeDatabase, postgresConnectionConfig } from "../db/database-url.ts";
import { messageOf } from "../db/migration-history.ts";
import { migrationStatus, sqliteMigrationRecords } from "./migration-status.ts";

/** A refusal of backup or restore, in one sentence for the person who ran it. */
export class BackupRefusal extends Error {
  override name = "BackupRefusal";
}

export interface DatabaseSummary {
  accounts: number;
  devices: number;
}

/**
 * `pairgate-hub backup FILE`: a consistent copy of the SQLite database through SQLite's online
 * backup API (better-sqlite3's `backup`), which copies page by page while the hub goes on
 * writing, restarting from the start when a write lands in the middle. It is written 0600 under
 * a temporary name, checked by opening it, and only then given its name; an existing FILE is
 * never replaced. The secret key is not in it: back that up on its own (docs/OPERATIONS.md).
 */
export async function backupSqliteDatabase(databaseUrl: string, target: string): Promise<DatabaseSummary> {
  const source = databaseFilePath(databaseUrl);
  if (!existsSync(source)) throw new BackupRefusal(`There is no database at ${source}; point DATABASE_URL or PAIRGATE_DATA_DIR at the hub's.`);
  const destination = path.resolve(target);
  if (existsSync(destination)) throw new BackupRefusal(`${destination} already exists; choose a new file name (a backup never replaces a file).`);
  const staged = stagedFile(destination);
  try {
    await copySqliteDatabase(source, staged);
    const summary = verifyDatabaseFile(staged);
    // link, not rename: a file that appeared meanwhile under that name is not replaced either.
    linkSync(staged, destination);
    syncFolder(path.dirname(destination));
    return summary;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new BackupRefusal(`${destination} appeared while the backup was made; choose a new file name.`);
    throw error;
  } finally {
    rmSync(staged, { force: true });
  }
}

/** For PostgreSQL the hub leaves backups to pg_dump; this only checks that the database answers. */
export async function checkPostgresReachable(databaseUrl: string): Promise<string | undefined> {
  const client = new (loadPg().Client)(postgresConnectionConfig(databaseUrl));
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (error) {
    return `${describeDatabase(databaseUrl)} cannot be reached: ${messageOf(error)}`;
  } finally {
    await client.end().catch(() => {});
  }
}

export const isPostgres = (databaseUrl: string) => databaseProvider(databaseUrl) === "postgresql";

/** A private (0600) temporary name in the target's folder, so the final step is a link in one folder. */
export function stagedFile(destination: string): string {
  const staged = path.join(path.dirname(destination), `.${path.basename(destination)}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    closeSync(openSync(staged, "wx", 0o600));
  } catch (error) {
    throw new BackupRefusal(`Cannot write in ${path.dirname(destination)}: ${messageOf(error)}.`);
  }
  return staged;
}

/** SQLite's online backup of `source` into the (empty, private) file `destination`, left as one self-contained file. */
export async function copySqliteDatabase(source: string, destination: string): Promise<void> {
  const db = new BetterSqlite3(source, { fileMustExist: true, timeout: 5_000 });
  try {
    await db.backup(destination);
  } catch (error) {
    throw new BackupRefusal(`${source} could not be copied: ${messageOf(error)}.`);
  } finally {
    db.close();
  }
  const copy = new BetterSqlite3(destination, { fileMustExist: true });
  try {
    // The copy keeps the source's WAL mode; rollback-journal mode makes it one file to keep or move.
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
  chmodSync(destination, 0o600);
  const fd = openSync(destination, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Opens a database file and checks that it is a sound PairGate database this hub can run on:
 * SQLite's integrity check, the hub's tables, and a migration history it knows.
 */
export function verifyDatabaseFile(file: string): DatabaseSummary {
  let db: BetterSqlite3.Database;
  try {
    db = new BetterSqlite3(file, { fileMustExist: true, readonly: true });
  } catch (error) {
    throw new BackupRefusal(`${file} cannot be opened as a database: ${messageOf(error)}.`);
  }
  try {
    const integrity = readOrRefuse(file, () => db.pragma("integrity_check", { simple: true }));
    if (integrity !== "ok") throw new BackupRefusal(`${file} is damaged (SQLite's integrity check says: ${String(integrity)}).`);
    const records = readOrRefuse(file, () => sqliteMigrationRecords(db));
    const hasUsers = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'User'`).get();
    if (records.length === 0 || !hasUsers) throw new BackupRefusal(`${file} is not a PairGate database (it has no accounts table or migration history).`);
    const status = migrationStatus("sqlite", records);
    if (!status.ok) throw new BackupRefusal(`${file} cannot be used: ${status.reason}`);
    if (status.unknown.length > 0) throw new BackupRefusal(`${file} was made by a newer PairGate (migrations ${status.unknown.join(", ")}); upgrade this one first.`);
    const count = (table: string) => Number((db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number | bigint }).n);
    return { accounts: count("User"), devices: count("Device") };
  } finally {
    db.close();
  }
}

function readOrRefuse<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new BackupRefusal(`${file} is not a readable SQLite database: ${messageOf(error)}.`);
  }
}

export function syncFolder(folder: string): void {
  const fd = openSync(folder, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export const fileSize = (file: string) => statSync(file).size;
