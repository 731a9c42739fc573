import type { Settings } from "../config.ts";
import { describeDatabase } from "../db/database-url.ts";
import { DatabaseInUseError } from "../db/hub-lock.ts";
import { messageOf } from "../db/migration-history.ts";
import { BackupRefusal, backupSqliteDatabase, checkPostgresReachable, isPostgres } from "./database-backup.ts";
import { restoreSqliteDatabase } from "./database-restore.ts";
import { CommandFailure, EXIT } from "./command-failure.ts";
import { checkHub } from "./hub-check.ts";
import { rotateSecretKey, RotationRefusal } from "./key-rotation.ts";

/** `pairgate-hub check`: one line per finding; exits 1 when any is a problem. */
export async function runCheck(settings: Settings): Promise<void> {
  const findings = await checkHub(settings);
  for (const finding of findings) console.log(`${finding.ok ? "ok     " : "PROBLEM"} ${finding.sentence}`);
  const problems = findings.filter((finding) => !finding.ok).length;
  if (problems > 0) throw new CommandFailure(EXIT.failure, `${problems} problem(s) found.`);
  console.log("The hub's settings, database and secret key are in order.");
}

/** `pairgate-hub backup FILE`. */
export async function runBackup(settings: Settings, file: string): Promise<void> {
  if (isPostgres(settings.databaseUrl)) {
    const unreachable = await checkPostgresReachable(settings.databaseUrl);
    if (unreachable) throw new CommandFailure(EXIT.unavailable, `${unreachable}.`);
    throw new CommandFailure(
      EXIT.failure,
      `the hub runs on PostgreSQL (${describeDatabase(settings.databaseUrl)}, reachable): back it up with pg_dump, for example \`pg_dump --format=custom --file=${file} "$DATABASE_URL"\`; no file was written.`,
    );
  }
  const summary = await translate(() => backupSqliteDatabase(settings.databaseUrl, file));
  console.log(`Backed up ${describeDatabase(settings.databaseUrl)} to ${file} (${summary.accounts} account(s), ${summary.devices} device(s)); it opens and passed SQLite's integrity check.`);
  console.log("The secret key is not in the backup: keep a copy of secret.key (or PAIRGATE_SECRET_KEY) apart from it.");
}

/** `pairgate-hub restore FILE`. */
export async function runRestore(settings: Settings, file: string): Promise<void> {
  if (isPostgres(settings.databaseUrl)) {
    throw new CommandFailure(EXIT.usage, `the hub runs on PostgreSQL: stop every hub, then restore with pg_restore, for example \`pg_restore --clean --dbname="$DATABASE_URL" ${file}\`.`);
  }
  const restored = await translate(() => restoreSqliteDatabase(settings, file));
  console.log(`Restored ${file} into ${restored.database} (${restored.accounts} account(s), ${restored.devices} device(s)).`);
  if (restored.keptAs) console.log(`The database as it was is kept as ${restored.keptAs}; remove it once the hub runs well.`);
}

/** `pairgate-hub rotate-secret-key [--forget-recovery-codes]`. */
export async function runRotation(settings: Settings, forgetRecoveryCodes: boolean): Promise<void> {
  const rotation = await translate(() => rotateSecretKey(settings, { forgetRecoveryCodes }));
  const { bindingCodes, emailCodes, recoveryCodes } = rotation.discarded;
  console.log(`Re-sealed ${rotation.devices} device secret(s) under a new secret key in one transaction.`);
  if (bindingCodes + emailCodes + recoveryCodes > 0) console.log(`Discarded unused codes keyed by the old key: ${bindingCodes} binding, ${emailCodes} email, ${recoveryCodes} recovery.`);
  if (rotation.keptRecoveryCodes > 0) console.log(`${rotation.keptRecoveryCodes} unused recovery code(s) still work: each is checked against the key it was made with, kept sealed under the new key until the last of them is used or replaced.`);
  if (rotation.fromEnvironment) console.log(`The new key is in ${rotation.newKeyFile}: put its content in PAIRGATE_SECRET_KEY for every hub process, then delete that file, before starting the hubs.`);
  else console.log(`The new key is in ${rotation.newKeyFile}; the old one no longer opens anything. Back the new key up.`);
}

/** Expected refusals as one sentence and their exit code; anything else stays an error. */
async function translate<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DatabaseInUseError) throw new CommandFailure(EXIT.tempFail, error.message);
    if (error instanceof BackupRefusal) throw new CommandFailure(EXIT.dataError, error.message.replace(/\.$/, ""));
    if (error instanceof RotationRefusal) throw new CommandFailure(EXIT.failure, error.message.replace(/\.$/, ""));
    throw new CommandFailure(EXIT.failure, messageOf(error));
  }
}
