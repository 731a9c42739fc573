import type { BenchAccount } from "./harness/fixtures.ts";
import { probeLatency } from "./harness/event-probe.ts";
import type { HubProcess, LoopDelay } from "./harness/hub-process.ts";
import { LoginLoad } from "./harness/login-load.ts";
import { closeSockets, openSocket, openSockets } from "./harness/sockets.ts";
import { median, percentile, sleep } from "./harness/stats.ts";
import { threadLoadBetween, type ThreadLoad } from "./harness/thread-times.ts";

/** The probed event: answered from the socket's session and one read of the account row. */
export const PROBE_EVENT = "account:me";
/** Probes per second over all probe sockets; each socket stays at half the hub's 10 events/s budget. */
const PROBE_RATE_PER_SECOND = 100;
const LOGIN_SOCKETS = 12;
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

export interface LatencyWindow {
  p50Ms: number;
  p99Ms: number;
  samples: number;
  loopDelay: LoopDelay;
  threads: ThreadLoad | undefined;
}

export interface EventLatency {
  ratio: number;
  idle: LatencyWindow;
  loaded: LatencyWindow;
  rounds: { idle: LatencyWindow; loaded: LatencyWindow; ratio: number }[];
}

/**
 * p99 of `account:me` round trips while logins keep the hash pool saturated ÷ its p99 on the
 * same hub idle. Idle and loaded windows alternate; the result is the median round's ratio.
 */
export async function measureEventLatency(options: EventLatencyOptions): Promise<EventLatency> {
  const { hub, ca } = options;
  const probes = await openSockets(options.probeTokens.length, (index) => openSocket(hub.url, "/client", ca, { token: options.probeTokens[index]! }));
  const loginSockets = await openSockets(LOGIN_SOCKETS, () => openSocket(hub.url, "/client", ca));
  try {
    // Not counted: the first events on fresh sockets and code paths.
    await probeLatency(probes, { event: PROBE_EVENT, payload: {}, ratePerSecond: PROBE_RATE_PER_SECOND, durationMs: WARMUP_MS });
    const rounds: EventLatency["rounds"] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const idle = await probeWindow(hub, probes, options.windowMs);
      const load = new LoginLoad(loginSockets, options.loadAccounts);
      load.start();
      let loaded: LatencyWindow;
      try {
        await sleep(LOAD_RAMP_MS);
        loaded = await probeWindow(hub, probes, options.windowMs);
      } finally {
        await load.stop();
      }
      load.assertNoFailures();
      rounds.push({ idle, loaded, ratio: loaded.p99Ms / idle.p99Ms });
    }
    const middle = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)]!;
    return { ratio: median(rounds.map((round) => round.ratio)), idle: middle.idle, loaded: middle.loaded, rounds };
  } finally {
    closeSockets([...probes, ...loginSockets]);
  }
}

async function probeWindow(hub: HubProcess, probes: Parameters<typeof probeLatency>[0], windowMs: number): Promise<LatencyWindow> {
  await hub.loopDelay(); // resets the hub's histogram
  const before = await hub.threadTimes();
  const started = performance.now();
  const samples = await probeLatency(probes, { event: PROBE_EVENT, payload: {}, ratePerSecond: PROBE_RATE_PER_SECOND, durationMs: windowMs });
  const elapsed = performance.now() - started;
  const threads = threadLoadBetween(before ?? undefined, (await hub.threadTimes()) ?? undefined, elapsed);
  return { p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), samples: samples.length, loopDelay: await hub.loopDelay(), threads };
}
