import type { HubContext } from "../../context.ts";
import type { HubEventMap } from "../../hub-events.ts";
import { challengeRoom, endSocketSession, messageRoom, sessionRoom, userRoom, type ClientNamespace, type ClientSocket } from "./client-socket.ts";
import { deviceRoom, userDevicesRoom, type DeviceNamespace, type DeviceSocket } from "./device-socket.ts";
import { closeWhenIdle } from "./event-router.ts";

/**
 * Domain events that act on sockets themselves (forget a session, close a socket, change the
 * role a socket acts with). A socket's state lives in the process that holds it, so with several
 * hub processes each one acts on its own sockets. Every other event is a room broadcast, which
 * the Socket.IO adapter already carries to every process.
 */
export const SOCKET_ACTION_EVENTS = ["sessions-ended", "device-revoked", "user-role-changed", "user-deleted"] as const;
export type SocketActionEvent = (typeof SOCKET_ACTION_EVENTS)[number];

/** What hub processes tell one another (Socket.IO's server-side events, through the adapter). */
export interface InterProcessEvents {
  "hub-event": (name: SocketActionEvent, payload: HubEventMap[SocketActionEvent][0]) => void;
}

/** The other hub processes; absent when this process is the whole hub. */
export interface OtherProcesses {
  tell(name: SocketActionEvent, payload: HubEventMap[SocketActionEvent][0]): void;
  listen(listener: (name: SocketActionEvent, payload: unknown) => void): void;
}

/** Relays what the domain reports to the sockets concerned; domain code never sees a socket. */
export function relayDomainEvents(ctx: HubContext, clients: ClientNamespace, devices: DeviceNamespace, others?: OtherProcesses): void {
  broadcastToRooms(ctx, clients, devices);

  const actions = socketActions(clients, devices);
  const relayEverywhere = <E extends SocketActionEvent>(name: E) => {
    ctx.events.on(name, ((payload: HubEventMap[E][0]) => {
      actions[name](payload);
      others?.tell(name, payload);
    }) as never);
  };
  for (const name of SOCKET_ACTION_EVENTS) relayEverywhere(name);
  // Payloads come from the other hub processes only: trusted, and made by the same code.
  others?.listen((name, payload) => {
    if (SOCKET_ACTION_EVENTS.includes(name)) actions[name](payload as never);
  });
}

/** Sent once, by the process where the event happened; the adapter reaches every process's sockets. */
function broadcastToRooms(ctx: HubContext, clients: ClientNamespace, devices: DeviceNamespace): void {
  const now = () => ctx.clock.now().toISOString();

  ctx.events.on("security-notice", ({ userId, kind, message }) => {
    clients.to(userRoom(userId)).emit("security:notice", { kind, message, at: now() });
    devices.to(userDevicesRoom(userId)).emit("security:notice", { kind, message, at: now() });
  });

  ctx.events.on("device-bound", ({ sessionId, device }) => {
    if (sessionId) clients.to(sessionRoom(sessionId)).emit("device:bound", { device });
  });

  ctx.events.on("challenge-opened", ({ userId, challenge }) => {
    devices.to(userDevicesRoom(userId)).emit("challenge:new", challenge);
  });

  ctx.events.on("challenge-decided", ({ userId, challengeId, outcome, reason }) => {
    if (outcome === "approved") clients.to(challengeRoom(challengeId)).emit("challenge:approved", { challengeId });
    else clients.to(challengeRoom(challengeId)).emit("challenge:denied", { challengeId, reason: reason ?? "denied" });
    devices.to(userDevicesRoom(userId)).emit("challenge:closed", { challengeId, outcome });
  });

  ctx.events.on("login-reported", ({ userId, report }) => {
    clients.to(userRoom(userId)).emit("login:not-me", report);
  });

  ctx.events.on("challenge-closed", ({ userId, challengeId, outcome }) => {
    devices.to(userDevicesRoom(userId)).emit("challenge:closed", { challengeId, outcome });
  });

  ctx.events.on("message-sent", ({ toUserId, message }) => {
    clients.to(messageRoom(toUserId)).emit("message:new", message);
  });
}

type SocketActions = { [E in SocketActionEvent]: (payload: HubEventMap[E][0]) => void };

/**
 * What each process does to its own sockets. The notice is sent to each socket just before it is
 * ended, rather than to the room: a room broadcast and the news that ends the socket travel apart
 * between processes, and the socket could leave the room before the notice reached it.
 */
function socketActions(clients: ClientNamespace, devices: DeviceNamespace): SocketActions {
  return {
    "sessions-ended": ({ sessionIds, reason }) => {
      for (const sessionId of sessionIds) {
        for (const socket of socketsIn(clients, sessionRoom(sessionId))) endClientSocketSession(socket, reason);
      }
    },
    "device-revoked": ({ deviceId }) => {
      for (const socket of socketsIn(devices, deviceRoom(deviceId))) revokeDeviceSocket(socket);
    },
    "user-role-changed": ({ userId, role }) => {
      for (const socket of socketsIn(clients, userRoom(userId))) {
        const session = socket.data.session;
        if (session?.userId === userId) socket.data.session = { ...session, role };
      }
    },
    // Every socket of the account, whatever session or device it holds: none of them outlives it.
    "user-deleted": ({ userId }) => {
      for (const socket of socketsIn(clients, userRoom(userId))) endClientSocketSession(socket, "account_deleted");
      for (const socket of socketsIn(devices, userDevicesRoom(userId))) revokeDeviceSocket(socket);
    },
  };
}

/** This process's sockets in a room, copied, since ending a session leaves the room. */
function socketsIn<S>(namespace: { adapter: { rooms: Map<string, Set<string>> }; sockets: Map<string, S> }, room: string): S[] {
  const ids = [...(namespace.adapter.rooms.get(room) ?? [])];
  return ids.flatMap((id) => namespace.sockets.get(id) ?? []);
}

export function endClientSocketSession(socket: ClientSocket, reason: HubEventMap["sessions-ended"][0]["reason"]): void {
  const session = socket.data.session;
  if (!session) return;
  socket.emit("session:revoked", { sessionId: session.sessionId, reason });
  endSocketSession(socket);
}

export function revokeDeviceSocket(socket: DeviceSocket): void {
  const device = socket.data.device;
  socket.data.device = undefined;
  if (device) {
    socket.emit("device:revoked", { deviceId: device.deviceId });
    // It hears no more of the account's logins while it closes.
    void socket.leave(deviceRoom(device.deviceId));
    void socket.leave(userDevicesRoom(device.userId));
  }
  closeWhenIdle(socket as never);
}
