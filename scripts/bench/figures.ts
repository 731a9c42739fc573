import type { ChallengeRoundTrip } from "./challenge-round-trip.ts";
import { PROBE_RATE_PER_SECOND, type EventLatency, type LatencySummary, type LoopSide } from "./event-latency.ts";
import type { IdleSockets, ServerSockets } from "./idle-sockets.ts";
import type { LoginThroughput } from "./login-throughput.ts";
import { FLOOD_ADDRESSES, type LoginUnderFlood } from "./login-under-flood.ts";
import type { Figure } from "./report.ts";

/** Turns each benchmark's result into table rows, with its absolute figures as context. */

export const LOGIN_GOAL = { atLeast: 0.85 };
export const LATENCY_GOAL = { atMost: 2 };
export const MEMORY_GOAL = { atMost: 1.5 };
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
    ratioOf: "account:me p99 loaded ÷ p99 idle, same hub",
    ratio: result.ratio,
    goal: LATENCY_GOAL,
    context:
      `${result.roundRatios.length} alternating rounds, ${result.idle.samples} probes of each kind at ${PROBE_RATE_PER_SECOND}/s: idle ${summaryText(result.idle)}; ` +
      `loaded ${summaryText(result.loaded)}; per-round ratios ${result.roundRatios.map((ratio) => ratio.toFixed(2)).join(", ")}`,
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

export function challengeFigures(label: string, result: ChallengeRoundTrip): Figure[] {
  const context = (percentile: "p50" | "p99") => {
    const [own, bare] = percentile === "p50" ? [result.p50Ms, result.bareP50Ms] : [result.p99Ms, result.bareP99Ms];
    return `${ms(own)} vs ${ms(bare)} bare echo, ${result.samples} samples`;
  };
  return [
    { benchmark: `Challenge round trip p50, ${label}`, ratioOf: "login ack → challenge:approved p50 ÷ bare acked round trip p50", ratio: result.ratioP50, context: context("p50") },
    { benchmark: `Challenge round trip p99, ${label}`, ratioOf: "login ack → challenge:approved p99 ÷ bare acked round trip p99", ratio: result.ratioP99, context: context("p99") },
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
