import type { HubContext } from "../../context.ts";
import { challengeRoom, endSocketSession, sessionRoom, userRoom, type ClientNamespace } from "./client-socket.ts";
import { deviceRoom, userDevicesRoom, type DeviceNamespace } from "./device-socket.ts";
import { closeWhenIdle } from "./event-router.ts";

/** Relays what the domain reports to the sockets concerned; domain code never sees a socket. */
export function relayDomainEvents(ctx: HubContext, clients: ClientNamespace, devices: DeviceNamespace): void {
  const now = () => new Date().toISOString();

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
    clients.to(userRoom(userId)).emit("security:notice", { kind, message, at: now() });
    devices.to(userDevicesRoom(userId)).emit("security:notice", { kind, message, at: now() });
  });

  ctx.events.on("device-bound", ({ sessionId, device }) => {
    if (sessionId) clients.to(sessionRoom(sessionId)).emit("device:bound", { device });
  });

  ctx.events.on("device-revoked", ({ deviceId }) => {
    const room = deviceRoom(deviceId);
    devices.to(room).emit("device:revoked", { deviceId });
    for (const socketId of devices.adapter.rooms.get(room) ?? []) {
      const socket = devices.sockets.get(socketId);
      if (!socket) continue;
      socket.data.device = undefined;
      closeWhenIdle(socket as never);
    }
  });

  ctx.events.on("challenge-opened", ({ userId, challenge }) => {
    devices.to(userDevicesRoom(userId)).emit("challenge:new", challenge);
  });

  ctx.events.on("challenge-decided", ({ userId, challengeId, outcome, reason }) => {
    if (outcome === "approved") clients.to(challengeRoom(challengeId)).emit("challenge:approved", { challengeId });
    else clients.to(challengeRoom(challengeId)).emit("challenge:denied", { challengeId, reason: reason ?? "denied" });
    devices.to(userDevicesRoom(userId)).emit("challenge:closed", { challengeId, outcome });
  });

  ctx.events.on("challenge-closed", ({ userId, challengeId, outcome }) => {
    devices.to(userDevicesRoom(userId)).emit("challenge:closed", { challengeId, outcome });
  });
}
