import type { Socket } from "socket.io-client";
import { approveOneLogin, Mailbox } from "./challenge-round-trip.ts";
import type { BenchAccount, BenchDevice } from "./harness/fixtures.ts";
import type { HubProcess } from "./harness/hub-process.ts";
import { AUTHENTICATOR_FIRST_EVENT, type SocketFleet } from "./harness/socket-fleet.ts";
import { claimAnonymousSockets, closeSockets, openSocket, openSockets, spreadAddress } from "./harness/sockets.ts";
import { percentile, sleep } from "./harness/stats.ts";

/** Each client waits this long between two logins: 200 clients ask at most 200 logins a second. */
const PAUSE_BETWEEN_LOGINS_MS = 1_000;
/** Memory and handles are read this often; the first minute (warm-up, caches filling) is left out of the slopes. */
const SAMPLE_EVERY_MS = 30_000;
const WARMUP_MS = 60_000;
const HANDSHAKES_IN_FLIGHT = 50;
const HANDSHAKES_PER_BATCH = 20;

export interface SoakOptions {
  hub: HubProcess;
  ca: string;
  /** One account and paired device per logging-in client. */
  clients: readonly { account: BenchAccount; device: BenchDevice }[];
  /** Devices that only stay connected, held by fleet processes. */
  idleDevices: readonly BenchDevice[];
  fleets: readonly SocketFleet[];
  minutes: number;
  progress(message: string): void;
}

export interface SoakSample {
  atMinutes: number;
  heapMb: number;
  rssMb: number;
  handles: number;
  devicesConnected: number;
}

export interface SoakResult {
  minutes: number;
  logins: number;
  errors: number;
  firstError: string | null;
  samples: SoakSample[];
  /** Least-squares slopes after the first minute. */
  heapMbPerMinute: number;
  rssMbPerMinute: number;
  handlesPerMinute: number;
  /** Whole-login p99 (auth:login sent → client told) of each minute, in order. */
  minuteP99Ms: number[];
  idleConnected: number;
}

/**
 * The long run of issue 17: 200 clients logging in (password, key signature, push, approval on
 * their paired device, client told), one login per client at a time with a pause between, while
 * 2,000 devices in all stay connected. Every error counts; the hub's heap, RSS (after full
 * garbage collections) and active handles are read every 30 s.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { hub, ca, clients } = options;
  const shares = options.fleets.map((_, index) => options.idleDevices.filter((__, position) => position % options.fleets.length === index));
  const fleetAuths = shares.map((share) => share.map(({ deviceId, deviceToken }) => ({ deviceId, deviceToken })));
  await Promise.all(options.fleets.map((fleet, index) => fleet.connect(`${hub.url}/device`, ca, fleetAuths[index]!, HANDSHAKES_IN_FLIGHT, { firstEvent: AUTHENTICATOR_FIRST_EVENT })));
  const pushes = new Mailbox<number>();
  const approvals = new Mailbox<number>();
  const devices = await openInBatches(clients.length, (index) => openSocket(hub.url, "/device", ca, { deviceId: clients[index]!.device.deviceId, deviceToken: clients[index]!.device.deviceToken }));
  const clientSockets = await openInBatches(clients.length, (index) => openSocket(hub.url, "/client", ca, {}, spreadAddress(index)));
  await claimAnonymousSockets(clientSockets);
  for (const device of devices) device.on("challenge:new", ({ challengeId }: { challengeId: string }) => pushes.deliver(challengeId, performance.now()));
  for (const client of clientSockets) client.on("challenge:approved", ({ challengeId }: { challengeId: string }) => approvals.deliver(challengeId, performance.now()));

  const startedAt = performance.now();
  const endsAt = startedAt + options.minutes * 60_000;
  const minuteOf = (at: number) => Math.floor((at - startedAt) / 60_000);
  const durations: number[][] = Array.from({ length: options.minutes }, () => []);
  let logins = 0;
  let errors = 0;
  let firstError: string | null = null;
  const lane = async (index: number, client: Socket, device: Socket) => {
    while (performance.now() < endsAt) {
      const sentAt = performance.now();
      try {
        const times = await approveOneLogin(client, device, clients[index]!.account, clients[index]!.device, pushes, approvals);
        logins += 1;
        durations[Math.min(options.minutes - 1, minuteOf(sentAt))]!.push(times.toldAt - sentAt);
      } catch (error) {
        errors += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
      await sleep(PAUSE_BETWEEN_LOGINS_MS);
    }
  };
  const samples: SoakSample[] = [];
  const sampling = (async () => {
    while (performance.now() < endsAt) {
      const [memory, handles, sockets] = await Promise.all([hub.memory(), hub.handles(), hub.sockets()]);
      samples.push({ atMinutes: (performance.now() - startedAt) / 60_000, heapMb: memory.heapUsed / 2 ** 20, rssMb: memory.rss / 2 ** 20, handles, devicesConnected: sockets.device });
      const last = samples.at(-1)!;
      options.progress(`soak ${last.atMinutes.toFixed(1)} min: ${logins} logins, ${errors} errors, heap ${last.heapMb.toFixed(1)} MB, rss ${last.rssMb.toFixed(1)} MB, ${handles} handles, ${sockets.device} devices`);
      await sleep(Math.min(SAMPLE_EVERY_MS, Math.max(0, endsAt - performance.now())));
    }
  })();
  try {
    await Promise.all([...clientSockets.map((client, index) => lane(index, client, devices[index]!)), sampling]);
    const idle = await Promise.all(options.fleets.map((fleet) => fleet.count()));
    const settled = samples.filter((sample) => sample.atMinutes * 60_000 >= WARMUP_MS);
    return {
      minutes: options.minutes,
      logins,
      errors,
      firstError,
      samples,
      heapMbPerMinute: slope(settled, (sample) => sample.heapMb),
      rssMbPerMinute: slope(settled, (sample) => sample.rssMb),
      handlesPerMinute: slope(settled, (sample) => sample.handles),
      minuteP99Ms: durations.map((minute) => percentile(minute, 99)),
      idleConnected: idle.reduce((sum, count) => sum + count.connected, 0),
    };
  } finally {
    closeSockets([...devices, ...clientSockets]);
    await Promise.all(options.fleets.map((fleet) => fleet.close()));
  }
}

/** A few handshakes at a time: 200 at once can outlast the client's connect timeout on a busy machine. */
async function openInBatches(count: number, open: (index: number) => Promise<Socket>): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let start = 0; start < count; start += HANDSHAKES_PER_BATCH) {
    sockets.push(...(await openSockets(Math.min(HANDSHAKES_PER_BATCH, count - start), (offset) => open(start + offset))));
  }
  return sockets;
}

/** Least-squares slope per minute; NaN with fewer than two samples. */
function slope(samples: readonly SoakSample[], value: (sample: SoakSample) => number): number {
  if (samples.length < 2) return Number.NaN;
  const xs = samples.map((sample) => sample.atMinutes);
  const ys = samples.map(value);
  const meanX = xs.reduce((a, b) => a + b, 0) / xs.length;
  const meanY = ys.reduce((a, b) => a + b, 0) / ys.length;
  const numerator = xs.reduce((sum, x, index) => sum + (x - meanX) * (ys[index]! - meanY), 0);
  const denominator = xs.reduce((sum, x) => sum + (x - meanX) ** 2, 0);
  return numerator / denominator;
}
