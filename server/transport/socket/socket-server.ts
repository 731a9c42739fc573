import type { Server as HttpsServer } from "node:https";
import { Server } from "socket.io";
import { MAX_MESSAGE_BYTES } from "#protocol";
import type { HubContext } from "../../context.ts";
import { clientRouteTable } from "./client-handlers.ts";
import type { ClientNamespace } from "./client-socket.ts";
import { deviceRouteTable } from "./device-handlers.ts";
import { deviceHandshake } from "./device-handshake.ts";
import type { DeviceNamespace } from "./device-socket.ts";
import { routeEvents } from "./event-router.ts";
import { clientHandshake } from "./handshake.ts";
import { relayDomainEvents } from "./relays.ts";

export function createSocketServer(ctx: HubContext, httpsServer: HttpsServer): Server {
  const io = new Server(httpsServer, {
    serveClient: false,
    // Larger messages close the connection before any parsing (engine.io's own limit).
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectTimeout: 10_000,
  });
  // The handshake request is not needed after connect; dropping it saves memory per socket.
  io.engine.on("connection", (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });

  const clients = io.of("/client") as unknown as ClientNamespace;
  clients.use(clientHandshake(ctx));
  const clientRoutes = clientRouteTable(ctx);
  clients.on("connection", (socket) => routeEvents(ctx, socket, clientRoutes));

  const devices = io.of("/device") as unknown as DeviceNamespace;
  devices.use(deviceHandshake(ctx));
  const deviceRoutes = deviceRouteTable(ctx);
  devices.on("connection", (socket) => routeEvents(ctx, socket, deviceRoutes));

  relayDomainEvents(ctx, clients, devices);
  return io;
}
