import { AUDIT_PAGE_MAX, clientEvents, type adminEvents, type lifecycleEvents, failure, success, type Ack, type ClientEventName, type EventPayload, type EventReply } from "#protocol";
import { registerAccount } from "../../accounts/accounts.ts";
import { changePassword } from "../../accounts/password-change.ts";
import { listUserAudit } from "../../audit/audit-log.ts";
import { completeLogin, startLogin } from "../../auth/login.ts";
import { abandonChallenge } from "../../auth/login-challenges.ts";
import type { HubContext, Origin } from "../../context.ts";
import { createBindingCode } from "../../devices/binding-codes.ts";
import { listUserDevices, renameDevice, revokeDevice } from "../../devices/devices.ts";
import { describeCurrentSession, listOwnSessions, logOutEverySession, logOutSession, revokeOwnSession } from "../../sessions/current-session.ts";
import type { ActiveSession } from "../../sessions/sessions.ts";
import { attachSession, challengeRoom, hasLiveSession, type ClientSocket } from "./client-socket.ts";
import { adminHandlers } from "./admin-handlers.ts";
import type { RouteTable } from "./event-router.ts";
import { lifecycleHandlers } from "./lifecycle-handlers.ts";

const AUDIT_PAGE_DEFAULT = 50;

type SessionOf<E extends ClientEventName> = (typeof clientEvents)[E]["access"] extends "anonymous" ? ActiveSession | undefined : ActiveSession;

export interface ClientCall<E extends ClientEventName> {
  origin: Origin;
  socket: ClientSocket;
  session: SessionOf<E>;
}

/** One handler per protocol event: a missing or unknown name fails to compile. */
export type ClientHandlers = { [E in ClientEventName]: (payload: EventPayload<E>, call: ClientCall<E>) => Promise<Ack<EventReply<E>>> };

/** The handlers for one table of events (see protocol/lifecycle-events.ts, admin-events.ts). */
export type HandlersFor<Table> = Pick<ClientHandlers, keyof Table & ClientEventName>;

/** `/client` events: the payload is parsed; each handler calls the domain and shapes the reply. */
export function clientHandlers(ctx: HubContext): ClientHandlers {
  return { ...coreHandlers(ctx), ...lifecycleHandlers(ctx), ...adminHandlers(ctx) };
}

function coreHandlers(ctx: HubContext): Omit<ClientHandlers, keyof typeof lifecycleEvents | keyof typeof adminEvents> {
  return {
    "account:register": (payload, { origin }) => registerAccount(ctx, payload, origin),

    "auth:login": async (payload, { origin, socket }) => {
      const reply = await startLogin(ctx, payload, origin);
      if (!reply.ok) return reply;
      // This socket hears the device's decision live.
      if (reply.data.numberMatch) await socket.join(challengeRoom(reply.data.challengeId));
      // Only this socket's client holds what finishes the login; when it goes, so does the login.
      const { challengeId } = reply.data;
      socket.once("disconnect", () => {
        abandonChallenge(ctx, challengeId, origin).catch((error: unknown) => ctx.log.error({ err: error }, "closing an abandoned login challenge failed"));
      });
      return reply;
    },

    "auth:complete": async (payload, { origin, socket }) => {
      const { reply, session } = await completeLogin(ctx, payload, origin);
      if (session) attachSession(socket, session);
      return reply;
    },

    "auth:logout": (_payload, { session, origin }) => logOutSession(ctx, session, origin),

    "auth:logout-all": (_payload, { session, origin }) => logOutEverySession(ctx, session, origin),

    "account:me": (_payload, { session }) => describeCurrentSession(ctx, session),

    "password:change": (payload, { session, origin }) => changePassword(ctx, session, payload, origin),

    "session:list": (_payload, { session }) => listOwnSessions(ctx, session),

    "session:revoke": ({ sessionId }, { session, origin }) => revokeOwnSession(ctx, session, sessionId, origin),

    "audit:list": async ({ limit, before }, { session }) =>
      success(await listUserAudit(ctx.db, session.userId, Math.min(limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX), before)),

    "device:create-binding-code": async ({ name }, { session }) => {
      const { code, expiresAt } = await createBindingCode(ctx, session.userId, session.sessionId, name);
      return success({ code, expiresAt: expiresAt.toISOString() });
    },

    "device:list": async (_payload, { session }) => success({ devices: await listUserDevices(ctx, session.userId) }),

    "device:rename": ({ deviceId, name }, { session, origin }) => renameDevice(ctx, session.userId, deviceId, name, origin),

    "device:revoke": ({ deviceId }, { session, origin }) => revokeDevice(ctx, session.userId, deviceId, origin),
  };
}

/** The router's view of the `/client` namespace. */
export function clientRouteTable(ctx: HubContext): RouteTable<ClientSocket> {
  const typed = clientHandlers(ctx) as unknown as Record<string, (payload: never, call: ClientCall<ClientEventName>) => Promise<Ack<unknown>>>;
  const handlers = Object.fromEntries(
    Object.entries(typed).map(([event, handler]) => [
      event,
      (payload: never, call: { origin: Origin; socket: ClientSocket }) => handler(payload, { ...call, session: call.socket.data.session as ActiveSession }),
    ]),
  );
  return {
    definitions: clientEvents,
    handlers,
    isAllowed: (socket, access) => access === "anonymous" || (hasLiveSession(socket) && (access === "session" || (access === "admin" && socket.data.session?.role === "admin"))),
    refusal: (socket) =>
      hasLiveSession(socket) ? failure("forbidden", "Only administrators may do this.") : failure("unauthorized", "Log in first: this event needs a session."),
  };
}
