import { FAST_COST, type BenchRun } from "./bench-run.ts";
import { seedAccounts, seedDevices } from "./harness/fixtures.ts";
import { startHubProcess } from "./harness/hub-process.ts";
import { startSocketFleets } from "./harness/socket-fleet.ts";
import type { Figure } from "./report.ts";
import { runSoak, type SoakResult } from "./soak.ts";
import { createDatabase } from "../../server/db/client.ts";

export const SOAK_CLIENTS = 200;
export const SOAK_DEVICES = 2_000;
const SOCKETS_PER_FLEET = 2_500;
/** Growth this small per minute, after the first, is noise of a collector, not a leak. */
const HEAP_MB_PER_MINUTE_GOAL = 1;
const HANDLES_PER_MINUTE_GOAL = 1;
/** The slowest minute's p99 against the steadiest's. */
const P99_STEADINESS_GOAL = 2;

/** `npm run bench -- --soak`: one hub on SQLite at bcrypt cost 4, 200 clients logging in, 2,000 devices connected. */
export async function runSoakSuite(run: BenchRun, minutes: number): Promise<Figure[]> {
  const { workspace, hashes } = run;
  run.progress(`soak: a hub on SQLite at bcrypt cost ${FAST_COST}; seeding ${SOAK_DEVICES} accounts with paired devices`);
  const hub = await startHubProcess({ name: "hub-soak", workspace, bcryptCost: FAST_COST, hashThreads: run.settings.threads });
  try {
    const db = createDatabase(hub.databaseUrl);
    const accounts = await seedAccounts(db, "soak", SOAK_DEVICES, hashes.fast);
    const devices = await seedDevices(db, workspace.hotpSecretsKey, accounts);
    await db.close();
    const idleDevices = devices.slice(SOAK_CLIENTS);
    const fleets = await startSocketFleets(Math.ceil(idleDevices.length / SOCKETS_PER_FLEET), workspace.logDir);
    try {
      run.progress(`soak: ${SOAK_CLIENTS} clients log in (one at a time each, 1 s apart) for ${minutes} min while ${SOAK_DEVICES} devices stay connected`);
      const clients = accounts.slice(0, SOAK_CLIENTS).map((account, index) => ({ account, device: devices[index]! }));
      const result = await runSoak({ hub, ca: workspace.ca, clients, idleDevices, fleets, minutes, progress: run.progress });
      return soakFigures(result);
    } finally {
      await Promise.all(fleets.map((fleet) => fleet.stop()));
    }
  } finally {
    await hub.stop();
  }
}

function soakFigures(result: SoakResult): Figure[] {
  const p99s = result.minuteP99Ms.filter((value) => !Number.isNaN(value));
  // Like the slopes, after the first minute: then 200 clients start at once on a hub whose code is
  // not yet compiled, which is a start, not a drift.
  const settled = p99s.slice(1);
  const steadiness = Math.max(...settled) / Math.min(...settled);
  const last = result.samples.at(-1);
  const errors = result.errors > 0 ? `${result.errors} errors (first: ${result.firstError})` : undefined;
  const lost = result.idleConnected < SOAK_DEVICES - SOAK_CLIENTS ? `${SOAK_DEVICES - SOAK_CLIENTS - result.idleConnected} idle devices lost` : undefined;
  const condition = [errors, lost].filter(Boolean).join("; ") || undefined;
  const context =
    `${result.minutes} min, ${result.logins} logins, ${result.errors} errors; heap ${result.samples.map((sample) => sample.heapMb.toFixed(0)).join(", ")} MB, ` +
    `handles ${result.samples.map((sample) => sample.handles).join(", ")} (every 30 s); last: rss ${last?.rssMb.toFixed(0)} MB, ${last?.devicesConnected} devices connected; ` +
    `per-minute p99 ${p99s.map((value) => value.toFixed(0)).join(", ")} ms`;
  return [
    { benchmark: "Soak: heap slope after the first minute", ratioOf: "MB per minute (least squares over the 30 s samples)", ratio: result.heapMbPerMinute, goal: { atMost: HEAP_MB_PER_MINUTE_GOAL }, context, conditionFailed: condition },
    { benchmark: "Soak: open-handle slope after the first minute", ratioOf: "handles per minute", ratio: result.handlesPerMinute, goal: { atMost: HANDLES_PER_MINUTE_GOAL }, context: `RSS slope ${result.rssMbPerMinute.toFixed(2)} MB/min`, conditionFailed: condition },
    { benchmark: "Soak: p99 steadiness after the first minute", ratioOf: "slowest minute's whole-login p99 ÷ fastest minute's", ratio: steadiness, goal: { atMost: P99_STEADINESS_GOAL }, context: `same run as above; with the first minute, ${(Math.max(...p99s) / Math.min(...p99s)).toFixed(2)}`, conditionFailed: condition },
  ];
}
