import type { HubContext } from "../../context.ts";
import type { ClientNamespace } from "./client-socket.ts";
import type { DeviceNamespace } from "./device-socket.ts";
import { endClientSocketSession, revokeDeviceSocket } from "./relays.ts";

// Well under the bound-parameter limits of SQLite (32,766) and PostgreSQL (65,535).
const IDS_PER_QUERY = 1_000;

/**
 * While Redis was away, news from the other hub processes (a session revoked, a device unpaired,
 * a role changed) may never have arrived. When it is back, this process checks the sessions and
 * devices its sockets hold against the database, and acts as the lost news would have.
 */
export async function recheckLocalSockets(ctx: HubContext, clients: ClientNamespace, devices: DeviceNamespace): Promise<void> {
  const clientSockets = [...clients.sockets.values()].filter((socket) => socket.data.session);
  const sessionIds = clientSockets.map((socket) => socket.data.session!.sessionId);
  const sessions = new Map<string, string>();
  for (const ids of chunks(sessionIds)) {
    const rows = await ctx.db.session.findMany({ where: { id: { in: ids } }, select: { id: true, user: { select: { role: true } } } });
    for (const row of rows) sessions.set(row.id, row.user.role);
  }
  for (const socket of clientSockets) {
    const session = socket.data.session;
    if (!session) continue;
    const role = sessions.get(session.sessionId);
    if (role === undefined) endClientSocketSession(socket, "revoked");
    else if (role !== session.role) socket.data.session = { ...session, role };
  }

  const deviceSockets = [...devices.sockets.values()].filter((socket) => socket.data.device);
  const known = new Set<string>();
  for (const ids of chunks(deviceSockets.map((socket) => socket.data.device!.deviceId))) {
    const rows = await ctx.db.device.findMany({ where: { id: { in: ids } }, select: { id: true } });
    for (const row of rows) known.add(row.id);
  }
  for (const socket of deviceSockets) {
    if (socket.data.device && !known.has(socket.data.device.deviceId)) revokeDeviceSocket(socket);
  }
}

function* chunks(ids: string[]): Generator<string[]> {
  for (let start = 0; start < ids.length; start += IDS_PER_QUERY) yield ids.slice(start, start + IDS_PER_QUERY);
}
