import type { IncomingHttpHeaders } from "node:http";
import type { Server as HttpsServer } from "node:https";
import { Server, type DefaultEventsMap } from "socket.io";
import { MAX_MESSAGE_BYTES } from "#protocol";
import type { HubContext } from "../../context.ts";
import type { HubDependencies } from "../../dependencies/dependencies.ts";
import { AnonymousSockets } from "./anonymous-sockets.ts";
import { clientSocketRoutes, closeOpenLoginsOnDisconnect, type ClientNamespace, type ClientSocket } from "./client-socket.ts";
import { deviceHandshake } from "./device-handshake.ts";
import { deviceSocketRoutes, type DeviceNamespace, type DeviceSocket } from "./device-socket.ts";
import { routeEvents } from "./event-router.ts";
import { clientHandshake } from "./handshake.ts";
import { relayDomainEvents, type InterProcessEvents, type OtherProcesses } from "./relays.ts";
import { recheckLocalSockets } from "./socket-recheck.ts";

type HubServer = Server<DefaultEventsMap, DefaultEventsMap, InterProcessEvents>;

export function createSocketServer(ctx: HubContext, httpsServer: HttpsServer, dependencies: Pick<HubDependencies, "redis" | "health">): HubServer {
  const io: HubServer = new Server(httpsServer, {
    serveClient: false,
    // Larger messages close the connection before any parsing (engine.io's own limit).
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    connectTimeout: 10_000,
  });
  const { redis } = dependencies;
  // With Redis, a room broadcast reaches the sockets of every hub process, and fetchSockets asks them all.
  if (redis) io.adapter(redis.socketAdapter(`${ctx.settings.redisPrefix}:socket.io`));
  // Of the handshake request, only the headers that say which page opened the connection and
  // with what cookie are needed later (namespace handshakes read them); keeping only those saves memory per socket.
  io.engine.on("connection", (rawSocket: { request: { headers: IncomingHttpHeaders; connection?: { encrypted: boolean } } | null }) => {
    const headers = rawSocket.request?.headers ?? {};
    // `connection.encrypted` is what Socket.IO reads for `handshake.secure`: the hub serves HTTPS only.
    rawSocket.request = { headers: { origin: headers.origin, host: headers.host, cookie: headers.cookie }, connection: { encrypted: true } };
  });

  const clients = io.of("/client") as unknown as ClientNamespace;
  clients.use(clientHandshake(ctx));
  clients.use(new AnonymousSockets((socket) => !(socket as ClientSocket).data.session, ctx.log).middleware() as never);
  clients.on("connection", (socket) => {
    closeOpenLoginsOnDisconnect(ctx, socket);
    routeEvents(ctx, socket, clientSocketRoutes);
  });

  const devices = io.of("/device") as unknown as DeviceNamespace;
  devices.use(deviceHandshake(ctx));
  devices.use(new AnonymousSockets((socket) => !(socket as DeviceSocket).data.device, ctx.log).middleware() as never);
  devices.on("connection", (socket) => routeEvents(ctx, socket, deviceSocketRoutes));

  const others: OtherProcesses | undefined = redis && {
    tell: (name, payload) => io.serverSideEmit("hub-event", name, payload),
    listen: (listener) => io.on("hub-event", listener),
  };
  relayDomainEvents(ctx, clients, devices, others);
  dependencies.health.onRecovery((name) => {
    if (name !== "redis") return;
    recheckLocalSockets(ctx, clients, devices).catch((error: unknown) => ctx.log.error({ err: error }, "rechecking sockets after the Redis outage failed"));
  });
  return io;
}

/** The sessions held by this process's `/client` sockets (housekeeping counts them as seen). */
export function connectedSessionIds(io: HubServer): string[] {
  const clients = io.of("/client") as unknown as ClientNamespace;
  return [...clients.sockets.values()].flatMap((socket) => (socket.data.session ? [socket.data.session.sessionId] : []));
}

/** Ends this process's sockets whose session or device no longer exists (see recheckLocalSockets). */
export function recheckSockets(ctx: HubContext, io: HubServer): Promise<void> {
  return recheckLocalSockets(ctx, io.of("/client") as unknown as ClientNamespace, io.of("/device") as unknown as DeviceNamespace);
}
