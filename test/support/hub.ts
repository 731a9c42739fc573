import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { readSettings, type Settings } from "../../server/config.ts";
import { startHub, type Hub } from "../../server/hub.ts";
import { createLogger } from "../../server/logger.ts";
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from "../../server/rate-limits.ts";

export interface TestHub {
  url: string;
  caFile: string;
  ca: string;
  dataDir: string;
  settings: Settings;
  hub: Hub;
  /** Every log line the hub wrote, as text. */
  logs: string[];
  stop(): Promise<void>;
  /** Stops and removes the temporary folders. */
  destroy(): Promise<void>;
}

export interface TestHubOptions {
  root?: string;
  rateLimits?: Partial<RateLimitSettings>;
  env?: Record<string, string>;
}

/** A real hub on a free port, with its own temporary data and certificate folders. */
export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), "pairgate-hub-"));
  const settings = readSettings({
    PAIRGATE_PORT: "0",
    PAIRGATE_DATA_DIR: path.join(root, "data"),
    PAIRGATE_CERT_DIR: path.join(root, "certs"),
    PAIRGATE_BCRYPT_COST: "4", // the floor bcrypt allows: tests check behaviour, not cost
    PAIRGATE_HASH_THREADS: "1",
    PAIRGATE_LOG_LEVEL: "debug",
    ...options.env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const rateLimits = { ...DEFAULT_RATE_LIMITS, registrationsPerAddress: { points: 1000, durationSeconds: 3600 }, ...options.rateLimits };
  const hub = await startHub({ settings, log: createLogger(settings.logLevel, sink), rateLimits });
  return {
    url: hub.url,
    caFile: hub.caFile,
    ca: readFileSync(hub.caFile, "utf8"),
    dataDir: settings.dataDir,
    settings,
    hub,
    logs,
    stop: () => hub.close(),
    async destroy() {
      await hub.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
