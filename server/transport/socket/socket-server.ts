import type { Server as HttpsServer } from "node:https";
import { Server } from "socket.io";
import { MAX_MESSAGE_BYTES, type ClientToHubEvents, type HubToClientEvents } from "#protocol";
import type { HubContext } from "../../context.ts";
import { clientHandlers } from "./client-handlers.ts";
import { endSocketSession, sessionRoom, userRoom, type ClientNamespace, type ClientSocketData } from "./client-socket.ts";
import { routeClientEvents } from "./event-router.ts";
import { clientHandshake } from "./handshake.ts";

export type HubSocketServer = Server<ClientToHubEvents, HubToClientEvents, Record<string, never>, ClientSocketData>;

export function createSocketServer(ctx: HubContext, httpsServer: HttpsServer): HubSocketServer {
  const io: HubSocketServer = new Server(httpsServer, {
    serveClient: false,
    // Larger messages close the connection before any parsing (engine.io's own limit).
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectTimeout: 10_000,
  });
  // The handshake request is not needed after connect; dropping it saves memory per socket.
  io.engine.on("connection", (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });

  const clients: ClientNamespace = io.of("/client");
  clients.use(clientHandshake(ctx));
  const handlers = clientHandlers(ctx);
  clients.on("connection", (socket) => routeClientEvents(ctx, socket, handlers));

  pushDomainEvents(ctx, clients);
  return io;
}

/** Relays what the domain reports to the sockets concerned. */
function pushDomainEvents(ctx: HubContext, clients: ClientNamespace): void {
  ctx.events.on("sessions-ended", ({ sessionIds, reason }) => {
    for (const sessionId of sessionIds) {
      const room = sessionRoom(sessionId);
      clients.to(room).emit("session:revoked", { sessionId, reason });
      for (const socketId of clients.adapter.rooms.get(room) ?? []) {
        const socket = clients.sockets.get(socketId);
        if (socket) endSocketSession(socket);
      }
    }
  });
  ctx.events.on("security-notice", ({ userId, kind, message }) => {
    clients.to(userRoom(userId)).emit("security:notice", { kind, message, at: new Date().toISOString() });
  });
}
