import type { ChallengeRoundTrip } from "./challenge-round-trip.ts";
import { PROBE_RATE_PER_SECOND, type EventLatency, type LatencySummary, type LoopSide } from "./event-latency.ts";
import type { IdleSockets, ServerSockets } from "./idle-sockets.ts";
import type { LoginThroughput } from "./login-throughput.ts";
import { FLOOD_ADDRESSES, type LoginUnderFlood } from "./login-under-flood.ts";
import type { ReconnectStorm, StormSide } from "./reconnect-storm.ts";
import type { Figure } from "./report.ts";

/** Turns each benchmark's result into table rows, with its absolute figures as context. */

export const LOGIN_GOAL = { atLeast: 0.85 };
/** Issue 17: unrelated events while logins saturate the hash pool (Better Auth degrades about 11 times). */
export const LATENCY_GOAL = { atMost: 1.5 };
/** Issue 17: heap and RSS per idle device socket at most 1.3 times bare Socket.IO's. */
export const MEMORY_GOAL = { atMost: 1.3 };
/** Issue 17: a fleet comes back to a restarted hub nearly as fast as to bare Socket.IO. */
export const RECONNECT_GOAL = { atMost: 1.2 };
/** The owner waits for the checks already running (one per thread) and then its own: about two idle logins. */
export const FLOOD_GOAL = { atMost: 3 };

const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const cores = (share: number) => `${share.toFixed(2)} core`;

export function loginFigure(benchmark: string, result: LoginThroughput, cost: number, threads: number): Figure {
  const cpu =
    result.hubHashCpu !== undefined && result.rawCpu !== undefined
      ? `; CPU they got: hub threads besides the event loop ${cores(result.hubHashCpu)}, raw baseline threads ${cores(result.rawCpu)} ` +
        `(per core-second: ${(result.hubPerSecond / result.hubHashCpu).toFixed(2)} logins vs ${(result.rawPerSecond / result.rawCpu).toFixed(2)} checks)`
      : "";
  return {
    benchmark,
    ratioOf: `auth:login acks/s ÷ raw bcryptjs checks/s (cost ${cost}, ${threads} threads)`,
    ratio: result.ratio,
    goal: LOGIN_GOAL,
    context:
      `${result.roundRatios.length} alternating rounds: ${result.hubPerSecond.toFixed(2)} logins/s vs ${result.rawPerSecond.toFixed(2)} checks/s; ` +
      `per-round ratios ${result.roundRatios.map((ratio) => ratio.toFixed(2)).join(", ")}${cpu}`,
  };
}

function loopText(name: string, side: LoopSide): string {
  const wait = side.waitedForCpu === undefined ? "" : `, waited for a CPU ${(100 * side.waitedForCpu).toFixed(0)}% of the time`;
  return `${name} loop lateness p99 ${ms(side.latenessP99Ms)} max ${ms(side.latenessMaxMs)}${wait}`;
}

function summaryText(summary: LatencySummary): string {
  return `p99 ${ms(summary.p99Ms)} (p50 ${ms(summary.p50Ms)}; ${loopText("hub", summary.hub)}; ${loopText("probing client", summary.client)})`;
}

export function latencyFigure(result: EventLatency): Figure {
  return {
    benchmark: "Event p99 while logins saturate the hash pool",
    ratioOf: "account:me p99 loaded ÷ p99 idle, same hub, median of the rounds",
    ratio: result.ratio,
    goal: LATENCY_GOAL,
    context:
      `${result.roundRatios.length} alternating rounds, ${result.idle.samples} probes of each kind at ${PROBE_RATE_PER_SECOND}/s; per-round ratios ${result.roundRatios.map((ratio) => ratio.toFixed(2)).join(", ")}; ` +
      `over all samples of each kind (pooled ratio ${result.pooledRatio.toFixed(2)}): idle ${summaryText(result.idle)}; loaded ${summaryText(result.loaded)}`,
  };
}

function sideText(name: string, side: ServerSockets, sockets: number): string {
  return (
    `${name} ${kb(side.heapBytesPerSocket)} heap, ${kb(side.rssBytesPerSocket)} RSS per socket, ` +
    `${side.serverConnected}/${sockets} connected at the server, ${side.clientsConnected}/${sockets} at the clients in ${side.connectSeconds.toFixed(0)} s`
  );
}

export function idleFigures(result: IdleSockets): Figure[] {
  const lost = result.lost > 0 ? `${result.lost} sockets lost (first error: ${result.hub.firstError ?? result.bare.firstError ?? "none"})` : undefined;
  const context = `${sideText("hub", result.hub, result.sockets)}; ${sideText("bare", result.bare, result.sockets)}`;
  return [
    { benchmark: `Idle device sockets (${result.sockets}): heap`, ratioOf: "hub heap per socket ÷ bare Socket.IO heap per socket", ratio: result.heapRatio, goal: MEMORY_GOAL, context, conditionFailed: lost },
    { benchmark: `Idle device sockets (${result.sockets}): RSS`, ratioOf: "hub RSS per socket ÷ bare Socket.IO RSS per socket", ratio: result.rssRatio, goal: MEMORY_GOAL, context: "same sockets as the heap row", conditionFailed: lost },
  ];
}

/** Issue 17's goals for "pushed → approved → client told", by where the hub keeps its data. */
const CHALLENGE_GOALS: Record<string, { p50: number; p99?: number }> = {
  SQLite: { p50: 2.5, p99: 2 },
  PostgreSQL: { p50: 4 },
};
/** Through two hubs joined by Redis, whatever database they share. */
const SCALE_OUT_CHALLENGE_GOAL: { p50: number; p99?: number } = { p50: 5 };

export function challengeFigures(label: string, result: ChallengeRoundTrip): Figure[] {
  const goals = label.startsWith("2 hubs") ? SCALE_OUT_CHALLENGE_GOAL : CHALLENGE_GOALS[label];
  const context = (percentile: "p50" | "p99") => {
    const [own, bare, raise, whole] =
      percentile === "p50" ? [result.p50Ms, result.bareP50Ms, result.raiseP50Ms, result.wholeP50Ms] : [result.p99Ms, result.bareP99Ms, result.raiseP99Ms, result.wholeP99Ms];
    return `${ms(own)} vs ${ms(bare)} bare echo, ${result.samples} samples; before it, auth:prove-key sent → challenge:new on the device ${ms(raise)}; auth:prove-key sent → client told ${ms(whole)}`;
  };
  const ratioOf = (percentile: string) => `pushed → challenge:approve → client told ${percentile} ÷ bare acked round trip ${percentile}`;
  return [
    { benchmark: `Challenge round trip p50, ${label}`, ratioOf: ratioOf("p50"), ratio: result.ratioP50, goal: goals ? { atMost: goals.p50 } : undefined, context: context("p50") },
    { benchmark: `Challenge round trip p99, ${label}`, ratioOf: ratioOf("p99"), ratio: result.ratioP99, goal: goals?.p99 ? { atMost: goals.p99 } : undefined, context: context("p99") },
  ];
}

function stormText(name: string, side: StormSide, sockets: number): string {
  const refused = side.refusals > 0 ? `, ${side.refusals} refusals (first: ${side.firstRefusal})` : "";
  return (
    `${name}: connect at start ${side.connectSeconds.toFixed(1)} s (${side.connectFailed} failed), down ${side.downSeconds.toFixed(1)} s (median), ` +
    `half back ${seconds(side.halfBackSeconds)} and all back ${seconds(side.returnSeconds)} after listening again (median of ${side.returnRuns.length} restarts: ${side.returnRuns.map(seconds).join(", ")}; ` +
    `${side.returned}/${sockets} back in the worst restart)${refused}, ` +
    `failed attempts ${attemptsText(side.failedAttempts)}` +
    (side.listenOverflows === null ? "" : `, ${side.listenOverflows} connections dropped from a full accept queue`)
  );
}

function seconds(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)} s` : "never (not all back)";
}

function attemptsText(failed: Record<string, number>): string {
  const entries = Object.entries(failed).sort((a, b) => b[1] - a[1]);
  if (entries.length === 0) return "none";
  return entries.map(([message, times]) => `${times} × "${message}"`).join(", ");
}

export function reconnectFigures(result: ReconnectStorm): Figure[] {
  const context = `${stormText("hub", result.hub, result.sockets)}; ${stormText("bare", result.bare, result.sockets)}`;
  const failed = [result.lost > 0 ? `${result.lost} sockets did not come back` : "", result.refused > 0 ? `${result.refused} handshakes refused` : ""].filter(Boolean).join(", ");
  return [
    {
      benchmark: `Reconnect storm after a restart (${result.sockets} devices)`,
      ratioOf: "listening again → last device socket back, hub ÷ bare Socket.IO (same down time, authenticator's back-off)",
      ratio: result.returnRatio,
      goal: RECONNECT_GOAL,
      context,
      conditionFailed: failed || undefined,
    },
    {
      benchmark: `Connect at start (${result.sockets} devices)`,
      ratioOf: "every device socket's first handshake, all at once: hub time ÷ bare Socket.IO time",
      ratio: result.connectRatio,
      goal: RECONNECT_GOAL,
      context: "same fleet as the row above",
      conditionFailed: result.hub.connectFailed + result.bare.connectFailed > 0 ? `${result.hub.connectFailed + result.bare.connectFailed} first handshakes failed` : undefined,
    },
  ];
}

/** Rows for benchmarks that could not run: the reason stands where the ratio would. */
export function unavailableFigures(benchmarks: readonly string[], reason: string, context = ""): Figure[] {
  return benchmarks.map((benchmark) => ({ benchmark, ratioOf: "—", unavailable: reason, context }));
}

export function floodFigure(result: LoginUnderFlood, cost: number, threads: number): Figure {
  return {
    benchmark: "Owner's login during a password-queue flood",
    ratioOf: `owner's auth:login with a key proof, median flooded ÷ median idle (cost ${cost}, ${threads} threads)`,
    ratio: result.ratio,
    goal: FLOOD_GOAL,
    context:
      `${result.roundRatios.length} alternating rounds, wrong logins from ${FLOOD_ADDRESSES} addresses keeping the open lane full: ` +
      `idle ${ms(result.idleMedianMs)}, flooded ${ms(result.floodMedianMs)}; per-round ratios ${result.roundRatios.map((ratio) => ratio.toFixed(2)).join(", ")}; ` +
      `an old client (no key proof) was refused as busy ${result.oldClientRefused} of ${result.oldClientTried} times`,
  };
}
