import { failure, success, type Ack, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { listUserSessions, revokeSession, revokeUserSessions, type ActiveSession } from "./sessions.ts";

/**
 * What a logged-in caller does to its own session and account, whichever transport it came by:
 * the `/client` socket events and their REST mirror both call these.
 */

export async function logOutSession(ctx: HubContext, session: ActiveSession, origin: Origin): Promise<Ack<EventReply<"auth:logout">>> {
  await recordAudit(ctx.db, { userId: session.userId, action: "session.logged_out", origin, details: { sessionId: session.sessionId } });
  await revokeSession(ctx, session.userId, session.sessionId, "logout");
  return success({ loggedOut: true as const });
}

export async function logOutEverySession(ctx: HubContext, session: ActiveSession, origin: Origin): Promise<Ack<EventReply<"auth:logout-all">>> {
  await recordAudit(ctx.db, { userId: session.userId, action: "sessions.revoked_all", origin });
  return success({ sessionsEnded: await revokeUserSessions(ctx, session.userId, "logout_all") });
}

export async function listOwnSessions(ctx: HubContext, session: ActiveSession): Promise<Ack<EventReply<"session:list">>> {
  return success({ sessions: await listUserSessions(ctx, session.userId, session.sessionId) });
}

export async function revokeOwnSession(
  ctx: HubContext,
  session: ActiveSession,
  sessionId: string,
  origin: Origin,
): Promise<Ack<EventReply<"session:revoke">>> {
  if (!(await revokeSession(ctx, session.userId, sessionId, "revoked"))) return failure("session_not_found", "No such session on this account.");
  await recordAudit(ctx.db, { userId: session.userId, action: "session.revoked", origin, details: { sessionId } });
  return success({ revoked: true as const });
}
