import path from "node:path";
import { CHALLENGE_ACCOUNTS, LOGIN_LANES_PER_THREAD, measurePart, type BenchRun } from "./bench-run.ts";
import { measureChallengeRoundTrip } from "./challenge-round-trip.ts";
import { challengeFigures, loginFigure, unavailableFigures } from "./figures.ts";
import { seedAccounts, seedDevices } from "./harness/fixtures.ts";
import { startHubProcess, type HubProcess } from "./harness/hub-process.ts";
import { createTemporaryDatabase, missingPostgresSupport, missingRedisSupport, newRedisPrefix, removeRedisKeys } from "./harness/scale-out-support.ts";
import { measureLoginThroughput } from "./login-throughput.ts";
import type { Figure } from "./report.ts";
import { createDatabase } from "../../server/db/client.ts";

const HUB_COUNT = 2;

/**
 * Two hub processes joined by Redis, sharing one database (PostgreSQL when this build has it,
 * otherwise one SQLite file): logins spread over both, and challenges raised on hub A while the
 * device is connected to hub B.
 */
export async function runRedisSuite(run: BenchRun): Promise<Figure[]> {
  if (!run.includes("redis")) return [];
  const { settings, workspace } = run;
  const loginTitle = `Login throughput, ${HUB_COUNT} hubs + Redis, cost ${settings.cost}`;
  const titles = [loginTitle, "Challenge round trip, 2 hubs + Redis"];
  const missing = missingRedisSupport();
  if (missing) return unavailableFigures(titles, "Redis: not available in this build", missing);
  return measurePart(run, "redis", titles, async () => {
    const redisPrefix = newRedisPrefix();
    run.cleanup.add(`remove the Redis keys under ${redisPrefix}`, () => removeRedisKeys(settings.redisUrl, redisPrefix));
    const storage = await sharedStorage(run);
    const hubs: HubProcess[] = [];
    try {
      for (const name of ["hub-redis-a", "hub-redis-b"]) {
        // One after the other: the first applies the migrations.
        hubs.push(await startHubProcess({ name, workspace, bcryptCost: settings.cost, hashThreads: settings.threads, databaseUrl: storage.url, redisUrl: settings.redisUrl, redisPrefix }));
      }
      const [a, b] = hubs as [HubProcess, HubProcess];
      const db = createDatabase(storage.url);
      const threads = settings.threads * HUB_COUNT;
      const loginAccounts = await seedAccounts(db, "login", LOGIN_LANES_PER_THREAD * threads, run.hashes.configured);
      const challengeAccounts = await seedAccounts(db, "challenge", CHALLENGE_ACCOUNTS, run.hashes.fast);
      const challengeDevices = await seedDevices(db, workspace.hotpSecretsKey, challengeAccounts);
      await db.close();

      run.progress(`challenge round trip through Redis: client on hub A, device on hub B (${storage.kind})`);
      const challenge = await measureChallengeRoundTrip({
        clientHubUrl: a.url,
        deviceHubUrl: b.url,
        bareUrl: run.bare.url,
        ca: workspace.ca,
        accounts: challengeAccounts,
        devices: challengeDevices,
        samples: settings.samples,
      });
      run.progress(`login throughput over ${HUB_COUNT} hubs: ${settings.rounds} rounds`);
      const login = await measureLoginThroughput({
        hubs,
        ca: workspace.ca,
        accounts: loginAccounts,
        passwordHash: run.hashes.configured,
        baseline: run.baseline,
        threads,
        rounds: settings.rounds,
        windowMs: settings.windowMs,
      });
      return [loginFigure(loginTitle, login, settings.cost, threads), ...challengeFigures(`2 hubs + Redis, ${storage.kind}`, challenge)];
    } finally {
      await Promise.all(hubs.map((hub) => hub.stop()));
      await storage.drop();
    }
  });
}

async function sharedStorage(run: BenchRun): Promise<{ kind: string; url: string; drop(): Promise<void> }> {
  if (missingPostgresSupport() === null) {
    const database = await createTemporaryDatabase(run.settings.postgresAdminUrl);
    run.cleanup.add("drop the Redis pair's PostgreSQL database", () => database.drop());
    return { kind: "PostgreSQL", ...database };
  }
  const file = path.join(run.workspace.folder("redis-pair-data"), "pairgate.db");
  return { kind: "one SQLite file", url: `file:${file}`, drop: async () => {} };
}
