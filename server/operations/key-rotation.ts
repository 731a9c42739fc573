import { existsSync, renameSync, rmSync } from "node:fs";
import type { Settings } from "../config.ts";
import { createDatabase } from "../db/client.ts";
import { claimDatabaseExclusively } from "../db/hub-lock.ts";
import { openSecret, sealSecret } from "../devices/secret-box.ts";
import { secretAssociatedData } from "../devices/devices.ts";
import { writeFileAtomic } from "../files.ts";
import { deriveKey, findHubKey, hubKeyFile, hubKeyText, newHubKey, readKeyFile } from "../secret-key.ts";
import { retireRecoveryKey } from "../recovery/retired-keys.ts";
import { syncFolder } from "./database-backup.ts";
import path from "node:path";

export class RotationRefusal extends Error {
  override name = "RotationRefusal";
}

export interface Rotation {
  devices: number;
  /** Unused codes keyed by the old key that had to go: binding codes and email codes (minutes-lived), recovery codes (when asked). */
  discarded: { bindingCodes: number; emailCodes: number; recoveryCodes: number };
  /** Unused recovery codes that still work, verified under the retired key they were made with. */
  keptRecoveryCodes: number;
  /** Key file mode: the key file now in use. Environment mode: the file holding the new key for PAIRGATE_SECRET_KEY. */
  newKeyFile: string;
  fromEnvironment: boolean;
}

// A whole re-sealing runs in one transaction, however many devices there are.
const TRANSACTION_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * `pairgate-hub rotate-secret-key`: a new hub key, and every sealed device secret opened with the
 * old one and sealed with the new one in one transaction, so that either all are re-sealed or
 * none. Only while no hub runs (the exclusive claim also keeps hubs from starting meanwhile).
 *
 * Binding codes, email codes and recovery codes are stored as keyed hashes, which cannot be
 * re-keyed without the codes themselves: pending binding and email codes (minutes-lived) are
 * discarded, and the person asks again; unused recovery codes keep working, verified under the
 * old key's recovery-code key, which is kept sealed under the new key for them alone
 * (server/recovery/retired-keys.ts), unless `forgetRecoveryCodes` discards them (a key that
 * leaked should not keep verifying anything).
 *
 * Key file: the new key is staged beside it, the old one is kept as a backup file until the
 * transaction has committed, then the staged key replaces it. PAIRGATE_SECRET_KEY: the new key is
 * written to a file for the operator to move into the environment.
 */
export async function rotateSecretKey(settings: Settings, options: { forgetRecoveryCodes: boolean }, env: NodeJS.ProcessEnv = process.env): Promise<Rotation> {
  const claim = await claimDatabaseExclusively(settings.databaseUrl);
  const db = createDatabase(settings.databaseUrl);
  try {
    const current = findHubKey(settings, env);
    if (!current) throw new RotationRefusal(`There is no secret key to rotate (neither PAIRGATE_SECRET_KEY nor ${hubKeyFile(settings)}).`);
    const keyFile = hubKeyFile(settings);
    const staged = `${keyFile}.new`;
    const oldBackup = `${keyFile}.before-rotation`;
    if (existsSync(staged)) throw new RotationRefusal(`${staged} exists: an earlier rotation did not finish. Run \`pairgate-hub check\` with that key and with the current one to see which opens the device secrets, keep that one, and remove the other.`);
    const fresh = newHubKey();
    writeFileAtomic(staged, hubKeyText(fresh), 0o600);
    if (current.source.kind === "file") writeFileAtomic(oldBackup, hubKeyText(current.key), 0o600);
    syncFolder(path.dirname(keyFile));
    let rotation: Omit<Rotation, "newKeyFile" | "fromEnvironment">;
    try {
      rotation = await resealEverything(db, current.key, fresh, options.forgetRecoveryCodes);
    } catch (error) {
      rmSync(staged, { force: true });
      rmSync(oldBackup, { force: true });
      throw error;
    }
    if (current.source.kind === "environment") return { ...rotation, newKeyFile: staged, fromEnvironment: true };
    renameSync(staged, keyFile);
    syncFolder(path.dirname(keyFile));
    if (!readKeyFile(keyFile)?.equals(fresh)) throw new Error(`${keyFile} does not hold the new key after the rotation; the old key is still in ${oldBackup}`);
    rmSync(oldBackup, { force: true });
    return { ...rotation, newKeyFile: keyFile, fromEnvironment: false };
  } finally {
    await db.close();
    await claim.release();
  }
}

async function resealEverything(db: ReturnType<typeof createDatabase>, oldKey: Buffer, newKey: Buffer, forgetRecoveryCodes: boolean) {
  const oldSealing = deriveKey(oldKey, "hotp-secrets");
  const newSealing = deriveKey(newKey, "hotp-secrets");
  return db.$transaction(
    async (tx) => {
      const devices = await tx.device.findMany({ select: { id: true, sealedSecret: true } });
      let unopened = 0;
      for (const device of devices) {
        const associatedData = secretAssociatedData(device.id);
        let secret: Uint8Array;
        try {
          secret = openSecret(oldSealing, device.sealedSecret, associatedData);
        } catch {
          unopened += 1;
          continue;
        }
        await tx.device.update({ where: { id: device.id }, data: { sealedSecret: sealSecret(newSealing, secret, associatedData) } });
      }
      // Thrown inside the transaction: nothing is written when any secret does not open.
      if (unopened > 0) throw new RotationRefusal(`${unopened} of ${devices.length} device secret(s) do not open with the current key, so nothing was changed; run \`pairgate-hub check\`.`);
      const bindingCodes = (await tx.bindingCode.deleteMany({ where: { usedAt: null } })).count;
      const emailCodes = (await tx.emailCode.deleteMany({ where: { usedAt: null } })).count;
      const recoveryCodes = forgetRecoveryCodes ? (await tx.recoveryCode.deleteMany({ where: { usedAt: null } })).count : 0;
      const keptRecoveryCodes = await retireRecoveryKey(tx, {
        oldRecoveryCodes: deriveKey(oldKey, "recovery-codes"),
        oldRetiredKeys: deriveKey(oldKey, "retired-keys"),
        newRetiredKeys: deriveKey(newKey, "retired-keys"),
      });
      return { devices: devices.length, discarded: { bindingCodes, emailCodes, recoveryCodes }, keptRecoveryCodes };
    },
    { timeout: TRANSACTION_TIMEOUT_MS, maxWait: TRANSACTION_TIMEOUT_MS },
  );
}
