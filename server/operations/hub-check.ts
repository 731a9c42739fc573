import { accessSync, constants, existsSync, statSync } from "node:fs";
import type { Settings } from "../config.ts";
import { createDatabase, databaseExists } from "../db/client.ts";
import { databaseFilePath, databaseProvider, describeDatabase } from "../db/database-url.ts";
import { messageOf } from "../db/migration-history.ts";
import { openSecret } from "../devices/secret-box.ts";
import { secretAssociatedData } from "../devices/devices.ts";
import { deriveKey, findHubKey, HUB_KEY_VARIABLE, hubKeyFile, readKeyFile } from "../secret-key.ts";
import { migrationStatus, readMigrationRecords } from "./migration-status.ts";

/** One line of `pairgate-hub check`: a problem to fix, or what was found sound. */
export interface Finding {
  ok: boolean;
  sentence: string;
}

const modeText = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

/**
 * `pairgate-hub check`: the hub's data folder, database, migrations and secret key, as the hub
 * would meet them at start, looked at without changing anything. Each problem is one sentence
 * that says what to do.
 */
export async function checkHub(settings: Settings, env: NodeJS.ProcessEnv = process.env): Promise<Finding[]> {
  const findings = [checkDataFolder(settings.dataDir)];
  const database = await checkDatabase(settings.databaseUrl);
  findings.push(...database);
  if (database.every((finding) => finding.ok)) findings.push(...(await checkSecretKey(settings, env)));
  return findings;
}

function checkDataFolder(dataDir: string): Finding {
  let mode: number;
  try {
    const stat = statSync(dataDir);
    if (!stat.isDirectory()) return { ok: false, sentence: `The data folder ${dataDir} is not a folder; set PAIRGATE_DATA_DIR to a folder.` };
    mode = stat.mode;
  } catch {
    return { ok: false, sentence: `The data folder ${dataDir} does not exist; start the hub once to create it, or set PAIRGATE_DATA_DIR to the hub's folder.` };
  }
  if ((mode & 0o077) !== 0) return { ok: false, sentence: `The data folder ${dataDir} is open to other users (mode ${modeText(mode)}); run \`chmod 700 ${dataDir}\`.` };
  try {
    accessSync(dataDir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch {
    return { ok: false, sentence: `The data folder ${dataDir} may not be written by this user; run the command as the hub's user (for example \`sudo -u pairgate pairgate-hub check\`).` };
  }
  return { ok: true, sentence: `Data folder ${dataDir} is private (${modeText(mode)}) and writable.` };
}

async function checkDatabase(databaseUrl: string): Promise<Finding[]> {
  const where = describeDatabase(databaseUrl);
  const provider = databaseProvider(databaseUrl);
  try {
    if (!(await databaseExists(databaseUrl))) return [{ ok: false, sentence: `There is no database at ${where}; start the hub once to create it, or point DATABASE_URL or PAIRGATE_DATA_DIR at the hub's.` }];
  } catch (error) {
    return [{ ok: false, sentence: `The database ${where} cannot be reached: ${messageOf(error)}.` }];
  }
  const findings: Finding[] = [];
  if (provider === "sqlite") {
    const mode = statSync(databaseFilePath(databaseUrl)).mode;
    if ((mode & 0o077) !== 0) findings.push({ ok: false, sentence: `The database file ${where} is open to other users (mode ${modeText(mode)}); run \`chmod 600 ${where}\`.` });
  }
  let status;
  try {
    status = migrationStatus(provider, await readMigrationRecords(databaseUrl));
  } catch (error) {
    return [...findings, { ok: false, sentence: `The database ${where} cannot be read: ${messageOf(error)}.` }];
  }
  if (!status.ok) return [...findings, { ok: false, sentence: status.reason }];
  if (status.pending.length > 0) {
    const names = status.pending.join(", ");
    findings.push({ ok: false, sentence: `${status.pending.length} database migration(s) are not applied (${names}); back the database up, then start the hub, which applies them.` });
  } else findings.push({ ok: true, sentence: `Database ${where} is reachable and has every migration applied.` });
  if (status.unknown.length > 0) findings.push({ ok: false, sentence: `The database has migrations this hub does not know (${status.unknown.join(", ")}); it was used by a newer PairGate, so upgrade this one.` });
  return findings;
}

async function checkSecretKey(settings: Settings, env: NodeJS.ProcessEnv): Promise<Finding[]> {
  let found;
  try {
    found = findHubKey(settings, env);
  } catch (error) {
    return [{ ok: false, sentence: `${messageOf(error)}.` }];
  }
  const db = createDatabase(settings.databaseUrl);
  try {
    const devices = await db.device.count();
    const sample = await db.device.findFirst({ select: { id: true, sealedSecret: true }, orderBy: { createdAt: "desc" } });
    if (!found) {
      if (devices === 0) return [{ ok: true, sentence: `No secret key yet; the hub makes ${hubKeyFile(settings)} at its first start.` }];
      return [{ ok: false, sentence: `There is no secret key (neither ${HUB_KEY_VARIABLE} nor ${hubKeyFile(settings)}), so the codes of the ${devices} device(s) cannot be checked; restore the key from a backup.` }];
    }
    const findings: Finding[] = [];
    if (found.source.kind === "file") {
      const mode = statSync(found.source.file).mode;
      if ((mode & 0o077) !== 0) findings.push({ ok: false, sentence: `The key file ${found.source.file} is open to other users (mode ${modeText(mode)}); run \`chmod 600 ${found.source.file}\`.` });
    }
    const from = found.source.kind === "file" ? found.source.file : HUB_KEY_VARIABLE;
    if (!sample) return [...findings, { ok: true, sentence: `Secret key found (${from}); no device secret is stored yet to try it on.` }];
    if (opens(found.key, sample)) return [...findings, { ok: true, sentence: `Secret key (${from}) opens the stored device secrets.` }];
    const staged = `${hubKeyFile(settings)}.new`;
    const stagedKey = existsSync(staged) ? readKeyFile(staged) : undefined;
    if (stagedKey && opens(stagedKey, sample)) {
      return [...findings, { ok: false, sentence: `The secret key (${from}) does not open the stored device secrets, but ${staged}, left by an interrupted rotation, does; make it the key (move it to ${hubKeyFile(settings)}, or into ${HUB_KEY_VARIABLE}).` }];
    }
    findings.push({ ok: false, sentence: `The secret key (${from}) does not open the stored device secrets, so no device would work; restore the key these secrets were sealed with.` });
    return findings;
  } finally {
    await db.close();
  }
}

function opens(key: Buffer, sample: { id: string; sealedSecret: string }): boolean {
  try {
    openSecret(deriveKey(key, "hotp-secrets"), sample.sealedSecret, secretAssociatedData(sample.id));
    return true;
  } catch {
    return false;
  }
}
