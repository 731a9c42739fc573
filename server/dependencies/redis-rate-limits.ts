import type { Redis } from "ioredis";
import { RateLimiterCompatibleAbstract, RateLimiterRedis, type RateLimiterRes } from "rate-limiter-flexible";
import type { BucketFactory } from "../rate-limits.ts";
import { DependencyUnreachableError } from "./unreachable-errors.ts";

/**
 * Buckets kept in Redis, shared by every hub process: same names, points and durations as in
 * memory, under `<prefix>:<bucket name>:<key>`.
 *
 * When Redis cannot answer, a limit that cannot be counted must not be skipped: every call
 * (consume, reward, get, delete, ...) fails with DependencyUnreachableError, which the transports
 * answer as `unavailable`. This goes through rate-limiter-flexible's own hook for store failures,
 * the insurance limiter, here one that refuses everything.
 */
export function redisBuckets(client: Redis, prefix: string, onUnreachable: () => void): BucketFactory {
  const insuranceLimiter = new RefuseEverything(onUnreachable);
  return (name, { points, durationSeconds }) =>
    new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `${prefix}:${name}`,
      points,
      duration: durationSeconds,
      // Fail at once while disconnected, rather than wait in a queue.
      rejectIfRedisNotReady: true,
      insuranceLimiter,
    });
}

/** Called by rate-limiter-flexible in place of a Redis call that failed. */
class RefuseEverything extends RateLimiterCompatibleAbstract {
  override readonly keyPrefix = "";
  // Set by the limiter it insures; unused, since nothing is ever counted here.
  override blockDuration = 0;
  override execEvenly = false;

  constructor(private readonly onUnreachable: () => void) {
    super();
  }

  private refuse(): Promise<never> {
    this.onUnreachable();
    return Promise.reject(new DependencyUnreachableError("redis"));
  }

  override consume(): Promise<RateLimiterRes> {
    return this.refuse();
  }
  override penalty(): Promise<RateLimiterRes> {
    return this.refuse();
  }
  override reward(): Promise<RateLimiterRes> {
    return this.refuse();
  }
  override get(): Promise<RateLimiterRes | null> {
    return this.refuse();
  }
  override set(): Promise<RateLimiterRes> {
    return this.refuse();
  }
  override block(): Promise<RateLimiterRes> {
    return this.refuse();
  }
  override delete(): Promise<boolean> {
    return this.refuse();
  }
}
