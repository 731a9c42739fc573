import type { BareServer } from "./harness/bare-server.ts";
import type { BenchDevice } from "./harness/fixtures.ts";
import type { HubProcess } from "./harness/hub-process.ts";
import type { SocketFleet } from "./harness/socket-fleet.ts";
import { sleep } from "./harness/stats.ts";

/** Connections made and closed first, so that code loaded on first use is not counted per socket. */
const WARMUP_SOCKETS = 100;
/** Handshakes in flight at once, per fleet process. */
const HANDSHAKES_IN_FLIGHT = 25;
/** How long the sockets sit idle before they are counted and the memory is read. */
const HOLD_MS = 5_000;
const DRAIN_TIMEOUT_MS = 120_000;

interface MeasuredServer {
  url: string;
  memory(): Promise<NodeJS.MemoryUsage>;
  connections(): Promise<number>;
}

export interface ServerSockets {
  /** Sockets the server holds, and the clients hold, after the idle period. */
  serverConnected: number;
  clientsConnected: number;
  failed: number;
  firstError: string | null;
  disconnects: number;
  connectSeconds: number;
  heapBytesPerSocket: number;
  rssBytesPerSocket: number;
  /** The server's memory (after garbage collection) before and after connecting, for the log. */
  before: NodeJS.MemoryUsage;
  after: NodeJS.MemoryUsage;
}

export interface IdleSockets {
  sockets: number;
  hub: ServerSockets;
  bare: ServerSockets;
  heapRatio: number;
  rssRatio: number;
  /** Sockets asked for but not connected at both ends, on either server. */
  lost: number;
}

export interface IdleSocketsOptions {
  hub: HubProcess;
  bare: BareServer;
  /** Client processes for the hub's sockets, and as many for the bare server's. */
  hubFleets: readonly SocketFleet[];
  bareFleets: readonly SocketFleet[];
  ca: string;
  devices: readonly BenchDevice[];
}

/**
 * Memory per idle socket, after garbage collection, on the hub (authenticated `/device` sockets)
 * and on bare Socket.IO (plain connections to `/`), same version, transport and certificate,
 * with as many sockets; each server a fresh process, measured before and after connecting.
 * Both servers are filled at the same time (each process's memory is its own), which halves
 * the time 2 × 10,000 TLS handshakes take on a small machine.
 */
export async function measureIdleSockets(options: IdleSocketsOptions): Promise<IdleSockets> {
  const { hub, bare, devices } = options;
  const hubSide = { url: `${hub.url}/device`, memory: () => hub.memory(), connections: async () => (await hub.sockets()).device };
  const bareSide = { url: `${bare.url}/`, memory: () => bare.memory(), connections: () => bare.connections() };
  const [hubResult, bareResult] = await Promise.all([
    measureServer(options.hubFleets, options.ca, hubSide, devices.map(({ deviceId, deviceToken }) => ({ deviceId, deviceToken }))),
    measureServer(options.bareFleets, options.ca, bareSide, devices.map(() => ({}))),
  ]);
  const lostOn = (side: ServerSockets) => devices.length - Math.min(side.serverConnected, side.clientsConnected);
  return {
    sockets: devices.length,
    hub: hubResult,
    bare: bareResult,
    heapRatio: hubResult.heapBytesPerSocket / bareResult.heapBytesPerSocket,
    rssRatio: hubResult.rssBytesPerSocket / bareResult.rssBytesPerSocket,
    lost: lostOn(hubResult) + lostOn(bareResult),
  };
}

async function measureServer(fleets: readonly SocketFleet[], ca: string, server: MeasuredServer, auths: Record<string, string>[]): Promise<ServerSockets> {
  const [first] = fleets;
  if (!first) throw new TypeError("measureIdleSockets needs at least one socket fleet");
  await first.connect(server.url, ca, auths.slice(0, WARMUP_SOCKETS), HANDSHAKES_IN_FLIGHT);
  await first.close();
  await waitForConnections(server, 0);

  const before = await server.memory();
  const shares = fleets.map((_, index) => auths.filter((__, position) => position % fleets.length === index));
  const results = await Promise.all(fleets.map((fleet, index) => fleet.connect(server.url, ca, shares[index]!, HANDSHAKES_IN_FLIGHT)));
  await sleep(HOLD_MS);
  const serverConnected = await server.connections();
  const counts = await Promise.all(fleets.map((fleet) => fleet.count()));
  const after = await server.memory();

  await Promise.all(fleets.map((fleet) => fleet.close()));
  await waitForConnections(server, 0);
  return {
    serverConnected,
    clientsConnected: counts.reduce((sum, count) => sum + count.connected, 0),
    disconnects: counts.reduce((sum, count) => sum + count.disconnects, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    firstError: results.find((result) => result.firstError)?.firstError ?? null,
    connectSeconds: Math.max(...results.map((result) => result.seconds)),
    heapBytesPerSocket: (after.heapUsed - before.heapUsed) / serverConnected,
    rssBytesPerSocket: (after.rss - before.rss) / serverConnected,
    before,
    after,
  };
}

async function waitForConnections(server: MeasuredServer, expected: number): Promise<void> {
  const deadline = performance.now() + DRAIN_TIMEOUT_MS;
  while ((await server.connections()) !== expected) {
    if (performance.now() > deadline) throw new Error(`${server.url} still holds sockets ${DRAIN_TIMEOUT_MS / 1000} s after the clients closed them`);
    await sleep(200);
  }
}
