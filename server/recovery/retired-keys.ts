import { randomUUID } from "node:crypto";
import type { Database } from "../db/client.ts";
import { openSecret, sealSecret } from "../devices/secret-box.ts";

/**
 * Recovery codes are stored as keyed hashes, which cannot be re-keyed without the codes, and
 * people keep them on paper for years. So when `pairgate-hub rotate-secret-key` replaces the hub
 * key, the old key's recovery-code key is retired rather than lost: sealed under the new hub
 * key's `retired-keys` key in a RetiredKey row, and named on each unused code it hashed. It
 * verifies those codes only; it hashes no new one, and goes with the last code that needs it.
 */

/** A transaction's client, or the database itself. */
type Store = Pick<Database, "retiredKey" | "recoveryCode">;

/** The associated data binds a sealed key to its row, so a sealed key copied to another row does not open. */
const sealedKeyData = (id: string) => `retired-key:${id}`;

/**
 * Within the rotation's transaction: the old hub key's recovery-code key becomes a retired key
 * for every unused code still hashed under it, earlier retired keys are sealed again under the
 * new key, and those no unused code needs any more are deleted. Returns how many unused codes
 * stay verifiable.
 */
export async function retireRecoveryKey(tx: Store, keys: { oldRecoveryCodes: Buffer; oldRetiredKeys: Buffer; newRetiredKeys: Buffer }): Promise<number> {
  await tx.retiredKey.deleteMany({ where: { recoveryCodes: { none: { usedAt: null } } } });
  for (const retired of await tx.retiredKey.findMany()) {
    const key = openSecret(keys.oldRetiredKeys, retired.sealedKey, sealedKeyData(retired.id));
    await tx.retiredKey.update({ where: { id: retired.id }, data: { sealedKey: sealSecret(keys.newRetiredKeys, key, sealedKeyData(retired.id)) } });
  }
  const current = await tx.recoveryCode.count({ where: { retiredKeyId: null, usedAt: null } });
  if (current > 0) {
    const id = randomUUID();
    await tx.retiredKey.create({ data: { id, sealedKey: sealSecret(keys.newRetiredKeys, keys.oldRecoveryCodes, sealedKeyData(id)) } });
    await tx.recoveryCode.updateMany({ where: { retiredKeyId: null, usedAt: null }, data: { retiredKeyId: id } });
  }
  return tx.recoveryCode.count({ where: { usedAt: null } });
}

/** The retired keys that hashed some unused recovery code of the account, opened, by id. */
export async function retiredKeysOf(db: Store, userId: string, retiredKeys: Buffer): Promise<{ id: string; key: Buffer }[]> {
  const rows = await db.retiredKey.findMany({ where: { recoveryCodes: { some: { userId, usedAt: null } } } });
  return rows.map((row) => ({ id: row.id, key: Buffer.from(openSecret(retiredKeys, row.sealedKey, sealedKeyData(row.id))) }));
}
