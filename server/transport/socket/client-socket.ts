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
/** The client socket that sent a login to the devices hears their approval or denial here, until then. */
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

/**
 * The logins each socket opened and has not finished, with their expiry (epoch ms): closed as
 * abandoned when the socket goes, since only its client holds what finishes them. A long-lived
 * socket logs in again and again; an entry goes once its login is finished or has expired, so
 * nothing piles up. Kept beside the socket rather than in `socket.data`, which other hub processes
 * fetch (hasListeningClient) and would receive serialised.
 */
const openLogins = new WeakMap<ClientSocket, Map<string, number>>();

/** Once per socket, at connection. */
export function closeOpenLoginsOnDisconnect(ctx: HubContext, socket: ClientSocket): void {
  const open = new Map<string, number>();
  openLogins.set(socket, open);
  socket.once("disconnect", () => {
    const now = ctx.clock.now().getTime();
    for (const [challengeId, expiresAt] of open) if (expiresAt > now) abandonLogin(ctx, socket, challengeId);
    open.clear();
  });
}

function abandonLogin(ctx: HubContext, socket: ClientSocket, challengeId: string): void {
  // Without the database the challenge stays open until it expires, which is harmless: only the
  // client that just went could finish it. The outage itself is logged once, elsewhere.
  abandonChallenge(ctx, challengeId, { address: socket.handshake.address }).catch((error: unknown) => {
    if (!unreachableDependencyOf(error)) ctx.log.error({ err: error }, "closing an abandoned login challenge failed");
  });
}

function rememberLogin(ctx: HubContext, socket: ClientSocket, challengeId: string, expiresAt: Date): void {
  // The socket went while the login was being opened: its disconnect has passed already.
  if (socket.disconnected) return abandonLogin(ctx, socket, challengeId);
  const open = openLogins.get(socket)!;
  const now = ctx.clock.now().getTime();
  for (const [known, knownExpiresAt] of open) if (knownExpiresAt <= now) open.delete(known);
  open.set(challengeId, expiresAt.getTime());
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
    switch (effect.kind) {
      case "session-started":
        return attachSession(socket, effect.session);
      case "login-opened":
        return rememberLogin(ctx, socket, effect.challengeId, effect.expiresAt);
      // The room is left when the login is decided or closed (relays.ts), on whichever hub process.
      case "login-pushed":
        return socket.join(challengeRoom(effect.challengeId));
      case "login-finished":
        return void openLogins.get(socket)?.delete(effect.challengeId);
      default:
        return effect satisfies never;
    }
  },
};
