import type { Settings } from "../config.ts";
import { recordAudit } from "../audit/audit-log.ts";
import { createDatabase, databaseExists } from "../db/client.ts";
import { describeDatabase } from "../db/database-url.ts";
import { applyMigrations, type MigrationLog } from "../db/migrate.ts";

/** Where the hub command's changes appear to come from, in the audit log. */
const HUB_COMMAND_ORIGIN = { address: "hub-command" };

export type Promotion =
  | { ok: true; username: string; alreadyAdmin: boolean; locked: boolean }
  | { ok: false; reason: "no_database" | "no_such_user"; database: string };

/**
 * `npm run hub -- admin create USERNAME`: makes an existing, registered account an
 * administrator, in the database the hub's settings name, after bringing it up to date. It
 * creates no account and no database: run it where the hub keeps its data, after registering.
 * Running it again for an administrator changes nothing.
 */
export async function promoteToAdmin(settings: Settings, username: string, log?: MigrationLog): Promise<Promotion> {
  const { databaseUrl } = settings;
  const database = describeDatabase(databaseUrl);
  if (!(await databaseExists(databaseUrl))) return { ok: false, reason: "no_database", database };
  await applyMigrations(databaseUrl, { log });

  const db = createDatabase(databaseUrl);
  try {
    const user = await db.user.findUnique({ where: { username }, select: { id: true, role: true, lockedAt: true } });
    if (!user) return { ok: false, reason: "no_such_user", database };
    const alreadyAdmin = user.role === "admin";
    if (!alreadyAdmin) {
      await db.user.update({ where: { id: user.id }, data: { role: "admin" } });
      await recordAudit(db, { userId: user.id, action: "account.promoted_admin", origin: HUB_COMMAND_ORIGIN, details: { by: "hub command" } });
    }
    return { ok: true, username, alreadyAdmin, locked: user.lockedAt !== null };
  } finally {
    await db.close();
  }
}
