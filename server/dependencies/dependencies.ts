import type { Clock } from "../clock.ts";
import type { Settings } from "../config.ts";
import type { Database } from "../db/client.ts";
import type { Logger } from "../logger.ts";
import { memoryBucket, type BucketFactory } from "../rate-limits.ts";
import { DependencyHealth } from "./dependency-health.ts";
import { redisBuckets } from "./redis-rate-limits.ts";
import { connectRedis, redisUrlForLog, type HubRedis } from "./redis.ts";

/** The services outside the process that the hub relies on, and what it knows of their health. */
export interface HubDependencies {
  health: DependencyHealth;
  /** Present with REDIS_URL: the hub is one of several processes. */
  redis: HubRedis | undefined;
  /** Where rate limits count: this process's memory, or Redis. */
  rateLimitBucket: BucketFactory;
  close(): void;
}

export async function connectDependencies(settings: Settings, db: Database, log: Logger, clock: Clock): Promise<HubDependencies> {
  const health = new DependencyHealth(log, clock);
  const probeDatabase = () => db.$queryRaw`SELECT 1`;
  // Once without a time limit: the first query opens the pool and readies Prisma's query
  // compiler, which can take longer than a probe may.
  await probeDatabase();
  health.record("database", true);
  health.add("database", probeDatabase);
  if (!settings.redisUrl) {
    health.watch();
    return { health, redis: undefined, rateLimitBucket: memoryBucket, close: () => health.stop() };
  }

  const redis = await connectRedis(settings.redisUrl, health);
  health.add("redis", () => redis.commands.ping());
  health.watch();
  log.info({ redis: redisUrlForLog(settings.redisUrl), prefix: settings.redisPrefix }, "rate limits and sockets are shared with every hub process through Redis");
  const noAnswer = () => health.record("redis", false, new Error("a rate-limit call to Redis failed"));
  return {
    health,
    redis,
    rateLimitBucket: redisBuckets(redis.commands, settings.redisPrefix, noAnswer),
    close() {
      health.stop();
      redis.close();
    },
  };
}
