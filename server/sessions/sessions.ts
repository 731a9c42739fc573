import { randomUUID } from "node:crypto";
import { SESSION_ABSOLUTE_TTL_SECONDS, SESSION_IDLE_TTL_SECONDS } from "#protocol";
import type { HubContext, Origin } from "../context.ts";
import type { SessionEndReason } from "../hub-events.ts";
import { generateSessionToken, hashSessionToken } from "./session-tokens.ts";

/** What a socket keeps in memory once authenticated, so events need no session lookup. */
export interface ActiveSession {
  sessionId: string;
  userId: string;
  username: string;
  role: string;
  expiresAt: Date;
}

export interface NewSession {
  userId: string;
  clientKeyId: string | null;
  clientName: string | null;
  origin: Origin;
}

export async function createSession(ctx: HubContext, input: NewSession): Promise<{ token: string; session: ActiveSession }> {
  const token = generateSessionToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + SESSION_ABSOLUTE_TTL_SECONDS * 1000);
  const row = await ctx.db.session.create({
    data: {
      id: randomUUID(),
      userId: input.userId,
      tokenHash: hashSessionToken(token),
      clientKeyId: input.clientKeyId,
      clientName: input.clientName,
      address: input.origin.address,
      // On the hub's clock, not the database's default: the idle limit is measured from here.
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
      // Every login proves the password and, with a device, its code or approval: a fresh proof.
      provenAt: now,
    },
    include: { user: { select: { username: true, role: true } } },
  });
  return { token, session: toActiveSession(row) };
}

export type SessionLookup = { ok: true; session: ActiveSession } | { ok: false; reason: "invalid_token" | "session_expired" };

/** Resolves a bearer token; an expired or idle session is deleted on sight. */
export async function validateSessionToken(ctx: HubContext, token: string): Promise<SessionLookup> {
  const row = await ctx.db.session.findUnique({
    where: { tokenHash: hashSessionToken(token) },
    include: { user: { select: { username: true, role: true } } },
  });
  if (!row) return { ok: false, reason: "invalid_token" };
  const now = ctx.clock.now().getTime();
  const idleSince = now - SESSION_IDLE_TTL_SECONDS * 1000;
  if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() <= idleSince) {
    await ctx.db.session.deleteMany({ where: { id: row.id } });
    return { ok: false, reason: "session_expired" };
  }
  await ctx.db.session.update({ where: { id: row.id }, data: { lastSeenAt: new Date(now) } });
  return { ok: true, session: toActiveSession(row) };
}

export async function listUserSessions(ctx: HubContext, userId: string, currentSessionId: string) {
  const rows = await ctx.db.session.findMany({ where: { userId, expiresAt: { gt: ctx.clock.now() } }, orderBy: { createdAt: "desc" } });
  return rows.map((row) => ({
    id: row.id,
    clientName: row.clientName,
    address: row.address,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    current: row.id === currentSessionId,
  }));
}

/** Deletes one session of the user; false when it is not theirs or already gone. */
export async function revokeSession(ctx: HubContext, userId: string, sessionId: string, reason: SessionEndReason): Promise<boolean> {
  const { count } = await ctx.db.session.deleteMany({ where: { id: sessionId, userId } });
  if (count === 0) return false;
  await dropBindingCodesOf(ctx, [sessionId]);
  ctx.events.emit("sessions-ended", { userId, sessionIds: [sessionId], reason });
  return true;
}

/** Deletes every session of the user except `keepSessionId`; returns how many ended. */
export async function revokeUserSessions(
  ctx: HubContext,
  userId: string,
  reason: SessionEndReason,
  keepSessionId?: string,
): Promise<number> {
  const where = { userId, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) };
  const doomed = await ctx.db.session.findMany({ where, select: { id: true } });
  if (doomed.length === 0) return 0;
  const sessionIds = doomed.map((row) => row.id);
  await ctx.db.session.deleteMany({ where: { id: { in: sessionIds } } });
  await dropBindingCodesOf(ctx, sessionIds);
  ctx.events.emit("sessions-ended", { userId, sessionIds, reason });
  return sessionIds.length;
}

/** A binding code asked for by a session that has ended must not pair a device afterwards. */
async function dropBindingCodesOf(ctx: HubContext, sessionIds: string[]): Promise<void> {
  await ctx.db.bindingCode.deleteMany({ where: { sessionId: { in: sessionIds }, usedAt: null } });
}

function toActiveSession(row: { id: string; userId: string; expiresAt: Date; user: { username: string; role: string } }): ActiveSession {
  return { sessionId: row.id, userId: row.userId, username: row.user.username, role: row.user.role, expiresAt: row.expiresAt };
}
