import { existsSync, linkSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import type { Settings } from "../config.ts";
import { databaseFilePath } from "../db/database-url.ts";
import { claimDatabaseExclusively } from "../db/hub-lock.ts";
import { openSecret } from "../devices/secret-box.ts";
import { secretAssociatedData } from "../devices/devices.ts";
import { deriveKey, findHubKey } from "../secret-key.ts";
import { BackupRefusal, copySqliteDatabase, stagedFile, syncFolder, verifyDatabaseFile, type DatabaseSummary } from "./database-backup.ts";

export interface Restoration extends DatabaseSummary {
  database: string;
  /** Where the database as it was before is kept; undefined when there was none. */
  keptAs: string | undefined;
}

/**
 * `pairgate-hub restore FILE` (SQLite): replaces the hub's database with a backup, only while no
 * hub runs on it, and without ever leaving half of one: the backup is copied next to the
 * database and checked (integrity, tables, migrations, the secret key opening its device
 * secrets) before anything changes; the old database is kept under a dated name; the swap is
 * one rename. The exclusive claim keeps hubs from starting until it is done.
 */
export async function restoreSqliteDatabase(settings: Settings, backup: string, env: NodeJS.ProcessEnv = process.env, now = new Date()): Promise<Restoration> {
  const source = path.resolve(backup);
  if (!existsSync(source)) throw new BackupRefusal(`There is no file ${source}.`);
  const database = databaseFilePath(settings.databaseUrl);
  const claim = await claimDatabaseExclusively(settings.databaseUrl);
  const staged = stagedFile(database);
  try {
    await copySqliteDatabase(source, staged);
    const summary = verifyDatabaseFile(staged);
    assertKeyOpens(settings, staged, env);
    const keptAs = existsSync(database) ? keepCurrent(database, now) : undefined;
    renameSync(staged, database);
    syncFolder(path.dirname(database));
    return { ...summary, database, keptAs };
  } finally {
    rmSync(staged, { force: true });
    await claim.release();
  }
}

/** A backup whose device secrets the current key cannot open would leave every device useless. */
function assertKeyOpens(settings: Settings, file: string, env: NodeJS.ProcessEnv): void {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const sample = db.prepare(`SELECT id, sealedSecret FROM "Device" LIMIT 1`).get() as { id: string; sealedSecret: string } | undefined;
    if (!sample) return;
    const found = findHubKey(settings, env);
    if (!found) throw new BackupRefusal(`${file} holds devices (PairGate authenticators or authenticator apps) but there is no secret key to open them; restore the key that belongs to this backup first.`);
    try {
      openSecret(deriveKey(found.key, "hotp-secrets"), sample.sealedSecret, secretAssociatedData(sample.id));
    } catch {
      throw new BackupRefusal(`The current secret key does not open the device secrets in this backup; restore the key that belongs to it first (it was rotated or replaced since).`);
    }
  } finally {
    db.close();
  }
}

/**
 * Folds the write-ahead log into the database and leaves it a single file, then links it
 * under a dated name: the rename that follows replaces only the database's own name, and no
 * stale -wal file is left to be replayed onto the restored one.
 */
function keepCurrent(database: string, now: Date): string {
  const db = new BetterSqlite3(database, { fileMustExist: true });
  try {
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
  for (const leftover of [`${database}-wal`, `${database}-shm`, `${database}-journal`]) rmSync(leftover, { force: true });
  const keptAs = `${database}.before-restore-${now.toISOString().replace(/[:.]/g, "-")}`;
  linkSync(database, keptAs);
  return keptAs;
}
