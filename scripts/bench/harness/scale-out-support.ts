import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { readSettings } from "../../../server/config.ts";
import { median } from "./stats.ts";

/**
 * Where the scale-out benchmarks find PostgreSQL and Redis, and whether this build of the hub
 * can use them at all. The benchmark only ever talks to 127.0.0.1.
 */
export const DEFAULT_POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";

export function assertLoopback(url: string, variable: string): void {
  if (new URL(url).hostname !== "127.0.0.1") throw new TypeError(`${variable} must point at 127.0.0.1: the benchmark talks to nothing else`);
}

/** Null when the hub's settings accept a postgresql:// DATABASE_URL; otherwise why not. */
export function missingPostgresSupport(): string | null {
  try {
    readSettings({ DATABASE_URL: "postgresql://bench@127.0.0.1:5432/bench" });
    return null;
  } catch (error) {
    return `server/config.ts refuses a postgresql:// DATABASE_URL (${error instanceof Error ? error.message : String(error)})`;
  }
}

/** Null when the hub's settings carry REDIS_URL; otherwise why not. */
export function missingRedisSupport(): string | null {
  const settings = readSettings({ REDIS_URL: "redis://127.0.0.1:6379/0" });
  return JSON.stringify(settings).includes("6379") ? null : "server/config.ts does not read REDIS_URL";
}

export interface TemporaryDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database for one hub (or one Redis-joined pair); dropped afterwards. */
export async function createTemporaryDatabase(adminUrl: string): Promise<TemporaryDatabase> {
  const name = `pairgate_bench_${randomBytes(6).toString("hex")}`;
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}

/**
 * p50 of a one-row INSERT committed on its own, in `url`'s database, in milliseconds: what each
 * write of the hub waits for (the WAL flush, with synchronous_commit on).
 */
export async function measureCommitLatency(url: string, samples = 50): Promise<{ p50Ms: number; synchronousCommit: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    const synchronousCommit = String((await client.query("SHOW synchronous_commit")).rows[0]?.synchronous_commit);
    await client.query("CREATE TABLE bench_commit_probe (id integer)");
    const times: number[] = [];
    for (let index = 0; index < samples; index += 1) {
      const started = performance.now();
      await client.query("INSERT INTO bench_commit_probe VALUES ($1)", [index]);
      times.push(performance.now() - started);
    }
    await client.query("DROP TABLE bench_commit_probe");
    return { p50Ms: median(times), synchronousCommit };
  } finally {
    await client.end();
  }
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * A Redis key and channel prefix for one run (PAIRGATE_REDIS_PREFIX), so that its hubs meet no
 * other hub on a shared Redis, and its rate-limit keys can be removed afterwards, and only they.
 */
export function newRedisPrefix(): string {
  return `pairgate-bench-${randomBytes(4).toString("hex")}`;
}

/** Deletes every key under `prefix`; returns how many there were. */
export async function removeRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  const keys = await scanKeys(redisUrl, `${prefix}:*`);
  if (keys.length === 0) return 0;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    return await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

async function scanKeys(redisUrl: string, pattern: string): Promise<string[]> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 5_000 });
  try {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== "0");
    return keys;
  } finally {
    redis.disconnect();
  }
}
