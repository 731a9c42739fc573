import type { BenchAccount } from "./harness/fixtures.ts";
import { probeLatency } from "./harness/event-probe.ts";
import type { HubProcess } from "./harness/hub-process.ts";
import { LoopWatch, type LoopDelay } from "./harness/loop-watch.ts";
import { LoginLoad } from "./harness/login-load.ts";
import { claimAnonymousSockets, closeSockets, openSocket, openSockets, spreadAddress } from "./harness/sockets.ts";
import { median, percentile, sleep } from "./harness/stats.ts";
import { readThreadTimes, threadLoadBetween, type ThreadLoad } from "./harness/thread-times.ts";

/** The probed event: answered from the socket's session and one read of the account row. */
export const PROBE_EVENT = "account:me";
/** Probes per second over all probe sockets; each socket stays at half the hub's 10 events/s budget. */
export const PROBE_RATE_PER_SECOND = 200;
/** As in login-throughput.ts: enough sockets that cheap logins stay inside the per-socket event budget. */
const LOGIN_SOCKETS = 48;
const LOAD_RAMP_MS = 1_000;
const WARMUP_MS = 1_000;

export interface EventLatencyOptions {
  hub: HubProcess;
  ca: string;
  /** Session tokens: each opens one authenticated probe socket. */
  probeTokens: readonly string[];
  /** Accounts whose closed-loop logins saturate the hash pool. */
  loadAccounts: readonly BenchAccount[];
  rounds: number;
  windowMs: number;
}

/** What one kind of window (idle or loaded) showed, over all its rounds. */
export interface LatencySummary {
  p50Ms: number;
  /** Over every sample of every window of this kind. */
  p99Ms: number;
  samples: number;
  /** Where the time went: the hub's event loop, and the probing client's own (it shares the machine). */
  hub: LoopSide;
  client: LoopSide;
}

export interface LoopSide {
  /** Event-loop lateness p99, median over the windows, and the worst single lateness. */
  latenessP99Ms: number;
  latenessMaxMs: number;
  /** Share of the time the event loop was ready to run but waited for a CPU, mean over the windows. */
  waitedForCpu: number | undefined;
}

export interface EventLatency {
  /** The median of the rounds' own ratios. */
  ratio: number;
  /** Loaded p99 ÷ idle p99, each over all the samples of its kind of window. */
  pooledRatio: number;
  idle: LatencySummary;
  loaded: LatencySummary;
  /** Each round's own loaded p99 ÷ idle p99, to show how much the machine's noise moves it. */
  roundRatios: number[];
}

interface LoopReading {
  delay: LoopDelay;
  threads: ThreadLoad | undefined;
}

interface LatencyWindow {
  samples: number[];
  hub: LoopReading;
  client: LoopReading;
}

/**
 * p99 of `account:me` round trips while logins keep the hash pool saturated ÷ its p99 on the
 * same hub idle. Idle and loaded windows alternate, so that the machine's other load falls on
 * both alike. The ratio is the median of the rounds' own ratios: one stall of a shared machine
 * decides the p99 of the window it falls in, and, pooled, the p99 of all windows of that kind (a
 * 204 ms stall in one idle window once made the pooled ratio 0.09); the median passes over such a
 * round in either direction.
 */
export async function measureEventLatency(options: EventLatencyOptions): Promise<EventLatency> {
  const { hub, ca } = options;
  const probes = await openSockets(options.probeTokens.length, (index) => openSocket(hub.url, "/client", ca, { token: options.probeTokens[index]! }));
  const loginSockets = await openSockets(LOGIN_SOCKETS, (index) => openSocket(hub.url, "/client", ca, {}, spreadAddress(index)));
  try {
    await claimAnonymousSockets(loginSockets);
    // Not counted: the first events on fresh sockets and code paths.
    await probeLatency(probes, { event: PROBE_EVENT, payload: {}, ratePerSecond: PROBE_RATE_PER_SECOND, durationMs: WARMUP_MS });
    const idle: LatencyWindow[] = [];
    const loaded: LatencyWindow[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      idle.push(await probeWindow(hub, probes, options.windowMs));
      const load = new LoginLoad(loginSockets, options.loadAccounts);
      load.start();
      try {
        await sleep(LOAD_RAMP_MS);
        loaded.push(await probeWindow(hub, probes, options.windowMs));
      } finally {
        await load.stop();
      }
      load.assertNoFailures();
    }
    const [idleSummary, loadedSummary] = [summarise(idle), summarise(loaded)];
    const roundRatios = idle.map((window, round) => percentile(loaded[round]!.samples, 99) / percentile(window.samples, 99));
    return { ratio: median(roundRatios), pooledRatio: loadedSummary.p99Ms / idleSummary.p99Ms, idle: idleSummary, loaded: loadedSummary, roundRatios };
  } finally {
    closeSockets([...probes, ...loginSockets]);
  }
}

function summarise(windows: readonly LatencyWindow[]): LatencySummary {
  const samples = windows.flatMap((window) => window.samples);
  return {
    p50Ms: percentile(samples, 50),
    p99Ms: percentile(samples, 99),
    samples: samples.length,
    hub: summariseLoop(windows.map((window) => window.hub)),
    client: summariseLoop(windows.map((window) => window.client)),
  };
}

function summariseLoop(readings: readonly LoopReading[]): LoopSide {
  const waits = readings.map((reading) => reading.threads?.mainWait);
  return {
    latenessP99Ms: median(readings.map((reading) => reading.delay.p99Ms)),
    latenessMaxMs: Math.max(...readings.map((reading) => reading.delay.maxMs)),
    waitedForCpu: waits.some((wait) => wait === undefined) ? undefined : waits.reduce<number>((sum, wait) => sum + wait!, 0) / waits.length,
  };
}

/** The probing client's own event loop: its lateness is in every round trip it times. */
const clientLoop = new LoopWatch();

async function probeWindow(hub: HubProcess, probes: Parameters<typeof probeLatency>[0], windowMs: number): Promise<LatencyWindow> {
  await hub.loopDelay(); // resets the hub's histogram
  clientLoop.read();
  const [hubBefore, clientBefore] = [await hub.threadTimes(), readThreadTimes()];
  const started = performance.now();
  const samples = await probeLatency(probes, { event: PROBE_EVENT, payload: {}, ratePerSecond: PROBE_RATE_PER_SECOND, durationMs: windowMs });
  const elapsed = performance.now() - started;
  const client = { delay: clientLoop.read(), threads: threadLoadBetween(clientBefore, readThreadTimes(), elapsed) };
  const hubThreads = threadLoadBetween(hubBefore ?? undefined, (await hub.threadTimes()) ?? undefined, elapsed);
  return { samples, hub: { delay: await hub.loopDelay(), threads: hubThreads }, client };
}
