import type { Namespace, Socket } from "socket.io";
import { clientEvents, type ClientToHubEvents, type HubToClientEvents } from "#protocol";
import { clientHandlers } from "../../events/client-handlers.ts";
import type { ActiveSession } from "../../sessions/sessions.ts";
import { closeWhenIdle, type RoutedSocketData, type SocketRoutes } from "./event-router.ts";

/** What the hub keeps per `/client` socket, in memory. */
export interface ClientSocketData extends RoutedSocketData {
  session: ActiveSession | undefined;
}

export type ClientSocket = Socket<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;
export type ClientNamespace = Namespace<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;

export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: string) => `user:${userId}`;
/** The client socket that opened a login challenge hears its approval or denial here. */
export const challengeRoom = (challengeId: string) => `challenge:${challengeId}`;

export function attachSession(socket: ClientSocket, session: ActiveSession): void {
  // A second login on the same socket replaces the first: it must stop hearing the old account.
  const previous = socket.data.session;
  if (previous) {
    void socket.leave(sessionRoom(previous.sessionId));
    void socket.leave(userRoom(previous.userId));
  }
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
  if (session) {
    void socket.leave(sessionRoom(session.sessionId));
    void socket.leave(userRoom(session.userId));
  }
  closeWhenIdle(socket as never);
}

/** Whether any socket of the namespace, on any hub process the adapter reaches, holds a live session of the user. */
export async function hasConnectedClient(clients: ClientNamespace, userId: string, now: Date): Promise<boolean> {
  const sockets = await clients.in(userRoom(userId)).fetchSockets();
  // Through another process's adapter the data arrives serialised: the date as a string.
  return sockets.some(({ data: { session } }) => session?.userId === userId && new Date(session.expiresAt).getTime() > now.getTime());
}

/** How `/client` sockets reach the event table: the handshake's or a login's session is the caller. */
export const clientSocketRoutes: SocketRoutes<ClientSocket> = {
  routes: { definitions: clientEvents, handlers: clientHandlers },
  callerOf: (ctx, socket) => ({
    origin: { address: socket.handshake.address },
    session: socket.data.session,
    presence: { hasConnectedClient: (userId) => hasConnectedClient(socket.nsp, userId, ctx.clock.now()) },
  }),
  async apply(socket, effect) {
    if (effect.kind === "session-started") attachSession(socket, effect.session);
    else await socket.join(challengeRoom(effect.challengeId));
  },
};
