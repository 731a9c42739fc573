import { createServer } from "node:net";
import type { BareServer } from "./harness/bare-server.ts";
import type { BenchDevice } from "./harness/fixtures.ts";
import type { HubProcess } from "./harness/hub-process.ts";
import { AUTHENTICATOR_FIRST_EVENT, type FleetReturn, type SocketFleet } from "./harness/socket-fleet.ts";
import { listenOverflows } from "./harness/listen-overflows.ts";
import { median, sleep } from "./harness/stats.ts";

/** Handshakes in flight at once per fleet process when the fleet first connects: a storm, not a trickle. */
const HANDSHAKES_IN_FLIGHT = 200;
/** Restarts per side; the median of their return times counts. */
const RESTARTS = 3;
/** How long the sockets may take to come back before the rest count as lost. */
const RETURN_TIMEOUT_MS = 180_000;

/** A server the storm restarts: the hub (its database kept), or bare Socket.IO. */
interface Restartable {
  url: string;
  stop(): Promise<void>;
}

export interface StormSide {
  /** Connect at start: every socket's first handshake, all at once. */
  connectSeconds: number;
  connectFailed: number;
  /** SIGTERM sent → the new process listening: the median restart's, and each restart's. */
  downSeconds: number;
  downRuns: number[];
  /** The new process listening → the last socket back (connected, its first event answered): the median restart's, and each restart's. */
  returnSeconds: number;
  returnRuns: number[];
  /** The new process listening → half of the sockets back (median over the restarts). */
  halfBackSeconds: number;
  returned: number;
  /** Connections the kernel dropped from the server's full accept queue, over the connect and all restarts (Linux only). */
  listenOverflows: number | null;
  /** Failed attempts over all restarts (the server down, then busy), by error message. */
  failedAttempts: Record<string, number>;
  refusals: number;
  firstRefusal: string | null;
}

export interface ReconnectStorm {
  sockets: number;
  hub: StormSide;
  bare: StormSide;
  connectRatio: number;
  returnRatio: number;
  /** Sockets that did not come back, on either side. */
  lost: number;
  refused: number;
}

export interface ReconnectStormOptions {
  /** Starts the hub on `port` (its data folder the same each time). */
  startHub(port: number): Promise<HubProcess>;
  startBare(port: number): Promise<BareServer>;
  hubFleets: readonly SocketFleet[];
  bareFleets: readonly SocketFleet[];
  ca: string;
  devices: readonly BenchDevice[];
}

/**
 * Every paired device connected, then the server restarted (SIGTERM, then a new process on the
 * same port): how long until every socket is back, coming back as the authenticator does (its
 * own back-off: doubling from 1 s, ±20% jitter; device-app/reconnect-backoff.ts). The same fleet
 * size against bare Socket.IO, restarted the same way and kept down exactly as long as the hub
 * was (the clients' back-off then stands at the same step on both sides when the server returns).
 * The hub goes first, then bare; each side's clients are their own processes.
 *
 * Each side is restarted RESTARTS times and the median counts: when the last socket comes back
 * depends on which back-off step each one stands at when the server returns, and one cohort that
 * just misses a step waits twice as long again (single restarts of the same code gave 1.11 to 1.70).
 */
export async function measureReconnectStorm(options: ReconnectStormOptions): Promise<ReconnectStorm> {
  const [hubPort, barePort] = [await freePort(), await freePort()];
  const hubAuths = options.devices.map(({ deviceId, deviceToken }) => ({ deviceId, deviceToken }));
  // Each socket counts as back at the answer to its first event: what the
  // authenticator asks after every connect, and the acked echo on bare Socket.IO.
  const hub = await stormSide(options.hubFleets, options.ca, hubAuths, "/device", AUTHENTICATOR_FIRST_EVENT, () => options.startHub(hubPort), undefined);
  const bare = await stormSide(options.bareFleets, options.ca, hubAuths.map(() => ({})), "/", "echo", () => options.startBare(barePort), hub.downRuns);
  const sockets = options.devices.length;
  return {
    sockets,
    hub,
    bare,
    connectRatio: hub.connectSeconds / bare.connectSeconds,
    returnRatio: hub.returnSeconds / bare.returnSeconds,
    lost: 2 * sockets - hub.returned - bare.returned,
    refused: hub.refusals + bare.refusals,
  };
}

async function stormSide(
  fleets: readonly SocketFleet[],
  ca: string,
  auths: Record<string, string>[],
  namespace: string,
  firstEvent: string,
  start: () => Promise<Restartable>,
  matchDownRuns: number[] | undefined,
): Promise<StormSide> {
  const overflowsBefore = listenOverflows();
  const startBegan = performance.now();
  let server: Restartable | undefined = await start();
  const startMs = performance.now() - startBegan;
  try {
    const shares = fleets.map((_, index) => auths.filter((__, position) => position % fleets.length === index));
    const url = `${server.url}${namespace}`;
    const connected = await Promise.all(fleets.map((fleet, index) => fleet.connect(url, ca, shares[index]!, HANDSHAKES_IN_FLIGHT, { firstEvent })));
    const runs: { down: number; back: number; halfBack: number; returned: number }[] = [];
    let returns: FleetReturn[] = [];
    for (let restart = 0; restart < RESTARTS; restart += 1) {
      const stoppedAt = Date.now();
      await server.stop();
      server = undefined;
      // Kept down as long as the hub was: its next start should take about as long as its first.
      const matchDown = matchDownRuns?.[restart];
      if (matchDown !== undefined) await sleep(Math.max(0, matchDown * 1000 - (Date.now() - stoppedAt) - startMs));
      server = await start();
      const readyAt = Date.now();
      returns = await Promise.all(fleets.map((fleet) => fleet.awaitReturn(stoppedAt, RETURN_TIMEOUT_MS)));
      // A socket that never came back counts as never: a restart that lost some must not look fast.
      const backAt = returns.flatMap((back) => back.backAt).sort((a, b) => a - b);
      const since = (at: number | undefined) => (at === undefined ? Infinity : Math.max(0, at - readyAt) / 1000);
      runs.push({
        down: (readyAt - stoppedAt) / 1000,
        back: backAt.length < auths.length ? Infinity : since(backAt.at(-1)),
        halfBack: since(backAt[Math.ceil(auths.length / 2) - 1]),
        returned: backAt.length,
      });
    }
    const overflowsAfter = listenOverflows();
    return {
      listenOverflows: overflowsBefore === null || overflowsAfter === null ? null : overflowsAfter - overflowsBefore,
      connectSeconds: Math.max(...connected.map((result) => result.seconds)),
      connectFailed: connected.reduce((total, result) => total + result.failed, 0),
      downRuns: runs.map((run) => run.down),
      downSeconds: median(runs.map((run) => run.down)),
      returnRuns: runs.map((run) => run.back),
      returnSeconds: median(runs.map((run) => run.back)),
      halfBackSeconds: median(runs.map((run) => run.halfBack)),
      // The fleets count failures and refusals from their first connection on: all restarts'.
      failedAttempts: mergeCounts(returns.map((back) => back.failedAttempts)),
      // The worst restart's.
      returned: Math.min(...runs.map((run) => run.returned)),
      refusals: sum(returns, (back) => back.refusals),
      firstRefusal: returns.find((back) => back.firstRefusal)?.firstRefusal ?? null,
    };
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.close()));
    await server?.stop();
  }
}

function mergeCounts(counts: Record<string, number>[]): Record<string, number> {
  const merged: Record<string, number> = {};
  for (const count of counts) for (const [message, times] of Object.entries(count)) merged[message] = (merged[message] ?? 0) + times;
  return merged;
}

function sum(returns: FleetReturn[], of: (back: FleetReturn) => number): number {
  return returns.reduce((total, back) => total + of(back), 0);
}

/** A port nothing listens on now, for a server that must come back on the same one. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
