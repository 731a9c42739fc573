import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { readSettings, type Settings } from "../../server/config.ts";
import { startHub, type Hub } from "../../server/hub.ts";
import { createLogger } from "../../server/logger.ts";
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from "../../server/rate-limits.ts";
import { TestClock } from "./clock.ts";
import { dropPostgresTestDatabase, postgresTestDatabase, testDatabaseKind } from "./test-database.ts";

export interface TestHub {
  url: string;
  caFile: string;
  ca: string;
  dataDir: string;
  settings: Settings;
  hub: Hub;
  /** The hub's clock: `advance` it to let an expiry or a lockout pass instead of waiting. */
  clock: TestClock;
  /** Every log line the hub wrote, as text. */
  logs: string[];
  stop(): Promise<void>;
  /** Stops and removes the temporary folders (and the PostgreSQL database). */
  destroy(): Promise<void>;
}

export interface TestHubOptions {
  root?: string;
  rateLimits?: Partial<RateLimitSettings>;
  env?: Record<string, string>;
  /** Shared by hubs that must agree on the time (a restart, two processes of one hub). */
  clock?: TestClock;
}

/**
 * A real hub on a free port, with its own temporary data and certificate folders, on the
 * database of this test pass: SQLite in its data folder, or, with PAIRGATE_TEST_DATABASE=postgresql,
 * a PostgreSQL database of its own (the same one again when restarted with the same root).
 */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), "pairgate-hub-"));
  const postgresUrl = testDatabaseKind() === "postgresql" && !options.env?.DATABASE_URL ? await postgresTestDatabase(root) : undefined;
  const settings = readSettings({
    ...(postgresUrl ? { DATABASE_URL: postgresUrl } : {}),
    PAIRGATE_PORT: "0",
    PAIRGATE_DATA_DIR: path.join(root, "data"),
    PAIRGATE_CERT_DIR: path.join(root, "certs"),
    PAIRGATE_BCRYPT_COST: "4", // the floor bcrypt allows: tests check behaviour, not cost
    PAIRGATE_HASH_THREADS: "1",
    PAIRGATE_LOG_LEVEL: "debug",
    // Most tests register and log in straight away; the email tests turn verification on.
    PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false",
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  // Tests register and ask for pushes far more often than people; the tests of those limits set them.
  const rateLimits = {
    ...DEFAULT_RATE_LIMITS,
    registrationsPerAddress: { points: 1000, durationSeconds: 3600 },
    loginPushesPerAccount: { points: 1000, durationSeconds: 3600 },
    ...options.rateLimits,
  };
  const clock = options.clock ?? new TestClock();
  const hub = await startHub({ settings, log: createLogger(settings.logLevel, sink), rateLimits, clock });
  return {
    url: hub.url,
    caFile: hub.caFile,
    ca: readFileSync(hub.caFile, "utf8"),
    dataDir: settings.dataDir,
    settings,
    hub,
    clock,
    logs,
    stop: () => hub.close(),
    async destroy() {
      await hub.close();
      if (postgresUrl) await dropPostgresTestDatabase(postgresUrl);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
