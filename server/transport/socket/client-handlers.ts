import { AUDIT_PAGE_MAX, failure, success } from "#protocol";
import { describeAccount, registerAccount } from "../../accounts/accounts.ts";
import { changePassword } from "../../accounts/password-change.ts";
import { listUserAudit, recordAudit } from "../../audit/audit-log.ts";
import { completeLogin, startLogin } from "../../auth/login.ts";
import type { HubContext } from "../../context.ts";
import { listUserSessions, revokeSession, revokeUserSessions } from "../../sessions/sessions.ts";
import type { ClientHandlers } from "./event-router.ts";

const AUDIT_PAGE_DEFAULT = 50;

/** `/client` events: parse has happened; each handler calls the domain and shapes the reply. */
export function clientHandlers(ctx: HubContext): ClientHandlers {
  return {
    "account:register": (payload, { origin }) => registerAccount(ctx, payload, origin),

    "auth:login": (payload, { origin }) => startLogin(ctx, payload, origin),

    "auth:complete": async (payload, { origin, signIn }) => {
      const { reply, session } = await completeLogin(ctx, payload, origin);
      if (session) signIn(session);
      return reply;
    },

    "auth:logout": async (_payload, { session, origin }) => {
      await recordAudit(ctx.db, { userId: session.userId, action: "session.logged_out", origin, details: { sessionId: session.sessionId } });
      await revokeSession(ctx, session.userId, session.sessionId, "logout");
      return success({ loggedOut: true as const });
    },

    "auth:logout-all": async (_payload, { session, origin }) => {
      await recordAudit(ctx.db, { userId: session.userId, action: "sessions.revoked_all", origin });
      const sessionsEnded = await revokeUserSessions(ctx, session.userId, "logout_all");
      return success({ sessionsEnded });
    },

    "account:me": async (_payload, { session }) => {
      const user = await describeAccount(ctx, session.userId);
      if (!user) return failure("unauthorized", "This account no longer exists.");
      return success({ user, session: { id: session.sessionId, expiresAt: session.expiresAt.toISOString() } });
    },

    "password:change": (payload, { session, origin }) => changePassword(ctx, session, payload, origin),

    "session:list": async (_payload, { session }) => success({ sessions: await listUserSessions(ctx.db, session.userId, session.sessionId) }),

    "session:revoke": async ({ sessionId }, { session, origin }) => {
      const revoked = await revokeSession(ctx, session.userId, sessionId, "revoked");
      if (!revoked) return failure("session_not_found", "No such session on this account.");
      await recordAudit(ctx.db, { userId: session.userId, action: "session.revoked", origin, details: { sessionId } });
      return success({ revoked: true as const });
    },

    "audit:list": async ({ limit, before }, { session }) =>
      success(await listUserAudit(ctx.db, session.userId, Math.min(limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX), before)),
  };
}
