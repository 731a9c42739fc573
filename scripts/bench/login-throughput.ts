import type { Socket } from "socket.io-client";
import type { BcryptBaseline } from "./harness/bcrypt-baseline.ts";
import { BENCH_PASSWORD, type BenchAccount } from "./harness/fixtures.ts";
import type { HubProcess } from "./harness/hub-process.ts";
import { LoginLoad } from "./harness/login-load.ts";
import { claimAnonymousSockets, closeSockets, openSocket, openSockets, spreadAddress } from "./harness/sockets.ts";
import { sleep } from "./harness/stats.ts";
import { loadOfProcesses, threadLoadBetween, type ThreadLoad } from "./harness/thread-times.ts";

/**
 * Anonymous `/client` sockets the logins are spread over (per hub): the hub allows each socket
 * 10 events a second, so 48 carry up to 480 logins a second (bcrypt cost 7 and above on 2 cores).
 */
const LOGIN_SOCKETS_PER_HUB = 48;
/** Time for the hash pool's queue to fill before a window opens. */
const LOAD_RAMP_MS = 1_000;
const WARMUP_TIMEOUT_MS = 60_000;

export interface LoginThroughputOptions {
  /** One hub, or several joined by Redis: the logins are spread over all of them. */
  hubs: readonly HubProcess[];
  ca: string;
  /** One closed-loop lane each; their password hash is `passwordHash`. */
  accounts: readonly BenchAccount[];
  passwordHash: string;
  baseline: BcryptBaseline;
  /** Hash threads of all the hubs together; the baseline uses as many. */
  threads: number;
  rounds: number;
  windowMs: number;
}

export interface LoginThroughputRound {
  hubPerSecond: number;
  rawPerSecond: number;
  /** The hubs' threads during the login window (shares of one core, summed over the hubs). */
  hubThreads: ThreadLoad | undefined;
  /** The baseline's hash threads during its window. */
  rawThreadsCpu: number | undefined;
}

export interface LoginThroughput {
  ratio: number;
  /** Over all windows of each kind. */
  hubPerSecond: number;
  rawPerSecond: number;
  /** CPU the hubs' non-event-loop threads (the hash pool) and the baseline's threads got, mean over windows. */
  hubHashCpu: number | undefined;
  rawCpu: number | undefined;
  /** Each round's own ratio, to show how much the machine's noise moves it. */
  roundRatios: number[];
}

/**
 * `auth:login` acks per second from real sockets against real hub processes, with the hash pool
 * kept saturated, ÷ raw bcryptjs checks per second in as many threads. Short hub and baseline
 * windows alternate many times, so that the changing load of a shared machine falls on both
 * alike, and each rate is taken over all its windows.
 */
export async function measureLoginThroughput(options: LoginThroughputOptions): Promise<LoginThroughput> {
  const sockets = await openSockets(LOGIN_SOCKETS_PER_HUB * options.hubs.length, (index) =>
    openSocket(options.hubs[index % options.hubs.length]!.url, "/client", options.ca, {}, spreadAddress(index)),
  );
  try {
    await claimAnonymousSockets(sockets);
    await warmUp(options, sockets);
    const rounds: LoginThroughputRound[] = [];
    for (let round = 0; round < options.rounds; round += 1) {
      const raw = await measureRaw(options);
      const hub = await measureHub(options, sockets);
      rounds.push({ ...hub, rawPerSecond: raw.perSecond, rawThreadsCpu: raw.threadsCpu });
    }
    const mean = (values: (number | undefined)[]) => (values.some((value) => value === undefined) ? undefined : values.reduce<number>((sum, value) => sum + value!, 0) / values.length);
    const hubPerSecond = mean(rounds.map((round) => round.hubPerSecond))!;
    const rawPerSecond = mean(rounds.map((round) => round.rawPerSecond))!;
    return {
      ratio: hubPerSecond / rawPerSecond,
      hubPerSecond,
      rawPerSecond,
      hubHashCpu: mean(rounds.map((round) => round.hubThreads?.otherCpu)),
      rawCpu: mean(rounds.map((round) => round.rawThreadsCpu)),
      roundRatios: rounds.map((round) => round.hubPerSecond / round.rawPerSecond),
    };
  } finally {
    closeSockets(sockets);
  }
}

/**
 * One check per baseline thread and one login per lane, not counted: the first bcrypt runs of a
 * fresh thread are slower, until V8 has optimised the hash loop.
 */
async function warmUp(options: LoginThroughputOptions, sockets: readonly Socket[]): Promise<void> {
  await options.baseline.measure(options.threads, options.passwordHash, BENCH_PASSWORD, 1);
  const load = new LoginLoad(sockets, options.accounts);
  load.start();
  const deadline = performance.now() + WARMUP_TIMEOUT_MS;
  try {
    while (load.answeredBetween(0, Infinity) < options.accounts.length && performance.now() < deadline) await sleep(100);
  } finally {
    await load.stop();
  }
  load.assertNoFailures();
}

async function measureRaw({ baseline, threads, passwordHash, windowMs }: LoginThroughputOptions) {
  const before = await baseline.threadTimes();
  const started = performance.now();
  const run = await baseline.measure(threads, passwordHash, BENCH_PASSWORD, windowMs);
  const load = threadLoadBetween(before ?? undefined, (await baseline.threadTimes()) ?? undefined, performance.now() - started);
  return { perSecond: run.perSecond, threadsCpu: load?.otherCpu };
}

async function measureHub(options: LoginThroughputOptions, sockets: readonly Socket[]) {
  const load = new LoginLoad(sockets, options.accounts);
  load.start();
  try {
    await sleep(LOAD_RAMP_MS);
    const before = await Promise.all(options.hubs.map((hub) => hub.threadTimes()));
    const opened = performance.now();
    await sleep(options.windowMs);
    const closed = performance.now();
    const after = await Promise.all(options.hubs.map((hub) => hub.threadTimes()));
    const answered = load.answeredBetween(opened, closed);
    return { hubPerSecond: answered / ((closed - opened) / 1000), hubThreads: loadOfProcesses(before, after, closed - opened) };
  } finally {
    await load.stop();
    load.assertNoFailures();
  }
}
