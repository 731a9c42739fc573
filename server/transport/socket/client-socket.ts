import type { Namespace, Socket } from "socket.io";
import type { ClientToHubEvents, HubToClientEvents } from "#protocol";
import type { ActiveSession } from "../../sessions/sessions.ts";

/** What the hub keeps per `/client` socket, in memory. */
export interface ClientSocketData {
  session: ActiveSession | undefined;
  /** Requests being handled; a session ending mid-request waits for the ack to go out. */
  inFlight: number;
  closeWhenIdle: boolean;
}

export type ClientSocket = Socket<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;
export type ClientNamespace = Namespace<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;

export const sessionRoom = (sessionId: string) => `session:${sessionId}`;
export const userRoom = (userId: string) => `user:${userId}`;

export function attachSession(socket: ClientSocket, session: ActiveSession): void {
  socket.data.session = session;
  void socket.join([sessionRoom(session.sessionId), userRoom(session.userId)]);
}

/** Forgets the session at once; closes the socket as soon as no request is in flight. */
export function endSocketSession(socket: ClientSocket): void {
  socket.data.session = undefined;
  if (socket.data.inFlight > 0) {
    socket.data.closeWhenIdle = true;
    return;
  }
  socket.disconnect(true);
}
