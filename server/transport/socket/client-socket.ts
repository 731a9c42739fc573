import type { Namespace, Socket } from "socket.io";
import { clientEvents, type ClientToHubEvents, type HubToClientEvents } from "#protocol";
import { abandonChallenge } from "../../auth/login-challenges.ts";
import { unreachableDependencyOf } from "../../dependencies/unreachable-errors.ts";
import { clientHandlers } from "../../events/client-handlers.ts";
import type { HubContext } from "../../context.ts";
import type { ActiveSession } from "../../sessions/sessions.ts";
import { closeWhenIdle, type RoutedSocketData, type SocketRoutes } from "./event-router.ts";

/** What the hub keeps per `/client` socket, in memory. */
export interface ClientSocketData extends RoutedSocketData {
  session: ActiveSession | undefined;
  /**
   * The logins this socket opened and has not finished, each with its expiry (epoch ms): closed
   * as abandoned when the socket goes. A long-lived socket logs in again and again; each entry
   * (and its challenge room) goes once the login is finished or expired, so nothing accumulates.
   */
  openLogins: Map<string, number>;
}

export type ClientSocket = Socket<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;
export type ClientNamespace = Namespace<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;

export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** The account's sockets that asked for messages (message:listen); the others are not told. */
export const messageRoom = (userId: string) => `messages:${userId}`;
/** The client socket that opened a login challenge hears its approval or denial here. */
export const challengeRoom = (challengeId: string) => `challenge:${challengeId}`;

export function attachSession(socket: ClientSocket, session: ActiveSession): void {
  // A second login on the same socket replaces the first: it must stop hearing the old account.
  const previous = socket.data.session;
  if (previous) leaveAccountRooms(socket, previous);
  socket.data.session = session;
  void socket.join([sessionRoom(session.sessionId), userRoom(session.userId)]);
}

/**
 * Forgets the session at once and leaves the account's rooms, so that a socket still finishing a
 * request hears no more messages or notices; closes the socket as soon as no request is in flight.
 */
export function endSocketSession(socket: ClientSocket): void {
  const session = socket.data.session;
  socket.data.session = undefined;
  if (session) leaveAccountRooms(socket, session);
  closeWhenIdle(socket as never);
}

function leaveAccountRooms(socket: ClientSocket, session: ActiveSession): void {
  void socket.leave(sessionRoom(session.sessionId));
  void socket.leave(userRoom(session.userId));
  void socket.leave(messageRoom(session.userId));
}

/** Whether any socket of the namespace, on any hub process the adapter reaches, listens for the user's messages with a live session. */
export async function hasListeningClient(clients: ClientNamespace, userId: string, now: Date): Promise<boolean> {
  const sockets = await clients.in(messageRoom(userId)).fetchSockets();
  // Through another process's adapter the data arrives serialised: the date as a string.
  return sockets.some(({ data: { session } }) => session?.userId === userId && new Date(session.expiresAt).getTime() > now.getTime());
}

/** Once per socket: when it goes, the logins it opened and could still finish are closed as abandoned. */
export function closeOpenLoginsOnDisconnect(ctx: HubContext, socket: ClientSocket): void {
  // Only this socket's client holds what finishes those logins; when it goes, so do they.
  const origin = { address: socket.handshake.address };
  socket.once("disconnect", () => {
    const now = ctx.clock.now().getTime();
    for (const [challengeId, expiresAt] of socket.data.openLogins) {
      if (expiresAt <= now) continue;
      // Without the database the challenge stays open until it expires, which is harmless: only
      // the client that just went could finish it. The outage itself is logged once, elsewhere.
      abandonChallenge(ctx, challengeId, origin).catch((error: unknown) => {
        if (!unreachableDependencyOf(error)) ctx.log.error({ err: error }, "closing an abandoned login challenge failed");
      });
    }
    socket.data.openLogins.clear();
  });
}

function forgetLogin(socket: ClientSocket, challengeId: string): void {
  socket.data.openLogins.delete(challengeId);
  void socket.leave(challengeRoom(challengeId));
}

/** How `/client` sockets reach the event table: the handshake's or a login's session is the caller. */
export const clientSocketRoutes: SocketRoutes<ClientSocket> = {
  routes: { definitions: clientEvents, handlers: clientHandlers },
  callerOf: (ctx, socket) => ({
    origin: { address: socket.handshake.address },
    session: socket.data.session,
    connection: {
      hasListeningClient: (userId) => hasListeningClient(socket.nsp, userId, ctx.clock.now()),
      listenForMessages: async (userId) => socket.join(messageRoom(userId)),
    },
  }),
  async apply(ctx, socket, effect) {
    if (effect.kind === "session-started") return attachSession(socket, effect.session);
    if (effect.kind === "login-pushed") return socket.join(challengeRoom(effect.challengeId));
    if (effect.kind === "login-finished") return forgetLogin(socket, effect.challengeId);
    const now = ctx.clock.now().getTime();
    for (const [challengeId, expiresAt] of socket.data.openLogins) if (expiresAt <= now) forgetLogin(socket, challengeId);
    socket.data.openLogins.set(effect.challengeId, effect.expiresAt.getTime());
  },
};
