import { failure, success, type Ack, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { revokeSession, type ActiveSession } from "../sessions/sessions.ts";

/** The key the session logged in with; null for a session that no key opened. */
async function currentKeyId(ctx: HubContext, session: ActiveSession): Promise<string | null> {
  const row = await ctx.db.session.findUnique({ where: { id: session.sessionId }, select: { clientKeyId: true } });
  return row?.clientKeyId ?? null;
}

export async function listClientKeys(ctx: HubContext, session: ActiveSession): Promise<Ack<EventReply<"key:list">>> {
  const current = await currentKeyId(ctx, session);
  const keys = await ctx.db.clientKey.findMany({ where: { userId: session.userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return success({
    keys: keys.map((key) => ({
      id: key.id,
      fingerprint: key.fingerprint,
      createdAt: key.createdAt.toISOString(),
      lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
      current: key.id === current,
    })),
  });
}

/**
 * Removes a key of the account and ends the sessions it opened (their sockets hear
 * `session:revoked` before the key goes). Refused for the key of the calling session, so nobody
 * cuts off the machine they are using (remove it from another one), and for the account's
 * only key, so the account always keeps a machine that can log in.
 */
export async function removeClientKey(ctx: HubContext, session: ActiveSession, keyId: string, origin: Origin): Promise<Ack<EventReply<"key:remove">>> {
  const key = await ctx.db.clientKey.findFirst({ where: { id: keyId, userId: session.userId } });
  if (!key) return failure("not_found", "No such key on this account.");
  if (key.id === (await currentKeyId(ctx, session))) {
    return failure("forbidden", "This session logged in with that key; remove it from another machine, or log out there instead.");
  }
  if ((await ctx.db.clientKey.count({ where: { userId: session.userId } })) <= 1) {
    return failure("forbidden", "That is the account's only key; log in from another machine first, so that its key is added.");
  }

  const opened = await ctx.db.session.findMany({ where: { clientKeyId: key.id }, select: { id: true } });
  let sessionsEnded = 0;
  for (const { id } of opened) if (await revokeSession(ctx, session.userId, id, "key_removed")) sessionsEnded += 1;
  await ctx.db.clientKey.deleteMany({ where: { id: key.id } });

  await recordAudit(ctx.db, { userId: session.userId, action: "client_key.removed", origin, details: { keyFingerprint: key.fingerprint, sessionsEnded } });
  ctx.events.emit("security-notice", {
    userId: session.userId,
    kind: "client_key_removed",
    message: `A machine's key (fingerprint ${key.fingerprint.slice(0, 16)}…) was removed from your account; the sessions it opened have ended.`,
  });
  return success({ removed: true as const, sessionsEnded });
}
