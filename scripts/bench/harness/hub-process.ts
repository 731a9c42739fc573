import path from "node:path";
import { BenchChild } from "./bench-child.ts";
import type { LoopDelay } from "./loop-watch.ts";
import type { ThreadTimes } from "./thread-times.ts";
import type { Workspace } from "./workspace.ts";

export interface HubProcessOptions {
  name: string;
  workspace: Workspace;
  bcryptCost: number;
  hashThreads: number;
  /** postgresql://... ; unset: a SQLite file in the hub's own data folder. */
  databaseUrl?: string;
  /** Several hub processes given the same one share a data folder (and a SQLite file). */
  dataDir?: string;
  redisUrl?: string;
  /** PAIRGATE_REDIS_PREFIX: what every key and channel of these hubs starts with. */
  redisPrefix?: string;
  /** A fixed port, so that a restarted hub is found where its clients left it; unset: any free port. */
  port?: number;
}

export interface SocketCounts {
  client: number;
  device: number;
  /** Engine.IO connections, whatever their namespaces. */
  engine: number;
}

export interface HubProcess {
  name: string;
  url: string;
  databaseUrl: string;
  /** After full garbage collections. */
  memory(): Promise<NodeJS.MemoryUsage>;
  sockets(): Promise<SocketCounts>;
  /** Active handles and requests (process.getActiveResourcesInfo()). */
  handles(): Promise<number>;
  threadTimes(): Promise<ThreadTimes | null>;
  /** Event-loop lateness since the previous call. */
  loopDelay(): Promise<LoopDelay>;
  stop(): Promise<void>;
}

/**
 * The environment a child starts from: the caller's, without any PairGate setting, so that a
 * DATABASE_URL or REDIS_URL in the shell cannot point a benchmark hub at real data.
 */
export function cleanEnvironment(): NodeJS.ProcessEnv {
  const unwanted = /^(PAIRGATE_|DATABASE_URL$|REDIS_URL$|SMTP_URL$)/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !unwanted.test(name)));
}

/** A real hub (startHub, as `npm start` runs it) in its own process, measurable over IPC. */
export async function startHubProcess(options: HubProcessOptions): Promise<HubProcess> {
  const dataDir = options.dataDir ?? options.workspace.folder(`${options.name}-data`);
  const databaseUrl = options.databaseUrl ?? `file:${path.join(dataDir, "pairgate.db")}`;
  const child = BenchChild.start({
    entry: "hub-entry.ts",
    name: options.name,
    logDir: options.workspace.logDir,
    nodeFlags: ["--expose-gc"],
    env: {
      ...cleanEnvironment(),
      PAIRGATE_HOST: "127.0.0.1",
      PAIRGATE_PORT: String(options.port ?? 0),
      PAIRGATE_DATA_DIR: dataDir,
      PAIRGATE_CERT_DIR: options.workspace.certDir,
      PAIRGATE_SECRET_KEY: options.workspace.hubKeyBase64,
      PAIRGATE_BCRYPT_COST: String(options.bcryptCost),
      PAIRGATE_HASH_THREADS: String(options.hashThreads),
      PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false",
      DATABASE_URL: databaseUrl,
      ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      ...(options.redisPrefix ? { PAIRGATE_REDIS_PREFIX: options.redisPrefix } : {}),
    },
  });
  try {
    const { url } = await child.announcement<{ url: string }>("ready", 90_000);
    return {
      name: options.name,
      url,
      databaseUrl,
      memory: () => child.request<NodeJS.MemoryUsage>("memory"),
      sockets: () => child.request<SocketCounts>("sockets"),
      handles: () => child.request<number>("handles"),
      threadTimes: () => child.request<ThreadTimes | null>("threadTimes"),
      loopDelay: () => child.request<LoopDelay>("loopDelay"),
      stop: () => child.stop(),
    };
  } catch (error) {
    await child.stop();
    throw error;
  }
}
