import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { failure, type Failure } from "#protocol";

/**
 * Named limits, each a rate-limiter-flexible bucket. Attempts that can fail take their point
 * before the work (so parallel requests cannot all slip past a check made before any of them
 * failed) and give it back on success (NIST SP 800-63B 5.2.2 allows at most 100 consecutive
 * failures per account). The tight login limit is per account and address, so that a stranger
 * cannot lock a person out; a looser one per account bounds guessing from many addresses.
 */
export interface RateLimitSettings {
  loginFailuresPerAccountAddress: { points: number; durationSeconds: number };
  loginFailuresPerAccount: { points: number; durationSeconds: number };
  loginFailuresPerAddress: { points: number; durationSeconds: number };
  registrationsPerAddress: { points: number; durationSeconds: number };
  eventsPerSocket: { points: number; durationSeconds: number };
  bindingFailuresPerAddress: { points: number; durationSeconds: number };
  bindingFailures: { points: number; durationSeconds: number };
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginFailuresPerAccountAddress: { points: 10, durationSeconds: 15 * 60 },
  loginFailuresPerAccount: { points: 100, durationSeconds: 60 * 60 }, // ASVS 4 2.2.1
  loginFailuresPerAddress: { points: 50, durationSeconds: 15 * 60 },
  registrationsPerAddress: { points: 20, durationSeconds: 60 * 60 },
  eventsPerSocket: { points: 100, durationSeconds: 10 },
  // A wrong binding code names no code to count against, so wrong tries are counted per address,
  // and wrong tries hub-wide are capped against guessing from many addresses: 1,000 a minute is
  // 5,000 guesses in a code's 5 minutes, against 2^40 possible codes.
  bindingFailuresPerAddress: { points: 5, durationSeconds: 15 * 60 },
  bindingFailures: { points: 1000, durationSeconds: 60 },
};

export type RateLimits = Record<keyof RateLimitSettings, RateLimiterAbstract>;

export function createRateLimits(settings: RateLimitSettings = DEFAULT_RATE_LIMITS): RateLimits {
  const bucket = (name: string, { points, durationSeconds }: { points: number; durationSeconds: number }) =>
    new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
  return {
    loginFailuresPerAccountAddress: bucket("login-fail-account-address", settings.loginFailuresPerAccountAddress),
    loginFailuresPerAccount: bucket("login-fail-account", settings.loginFailuresPerAccount),
    loginFailuresPerAddress: bucket("login-fail-address", settings.loginFailuresPerAddress),
    registrationsPerAddress: bucket("register-address", settings.registrationsPerAddress),
    eventsPerSocket: bucket("socket-events", settings.eventsPerSocket),
    bindingFailuresPerAddress: bucket("bind-fail-address", settings.bindingFailuresPerAddress),
    bindingFailures: bucket("bind-fail-hub", settings.bindingFailures),
  };
}

function rateLimitedFailure(msBeforeNext: number): Failure {
  const retryAfterSeconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return failure("rate_limited", `Too many attempts; try again in ${retryAfterSeconds} s.`, { retryAfterSeconds });
}

/** Takes one point; answers a `rate_limited` failure when the bucket is empty. */
export async function consumePoint(limiter: RateLimiterAbstract, key: string): Promise<Failure | null> {
  try {
    await limiter.consume(key);
    return null;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return rateLimitedFailure(rejection.msBeforeNext);
    throw rejection;
  }
}

/** Without taking a point: is the bucket already empty? For hub-wide failure counters. */
export async function checkExhausted(limiter: RateLimiterAbstract, key: string): Promise<Failure | null> {
  const state = await limiter.get(key);
  if (!state || state.consumedPoints < limiter.points) return null;
  return rateLimitedFailure(state.msBeforeNext);
}

/** Counts a failure after the fact; never throws when the bucket is already empty. */
export async function recordFailure(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.penalty(key, 1);
}

/** Takes one point from each bucket, in order; on the first refusal gives back those taken. */
export async function takeAttempt(buckets: [RateLimiterAbstract, string][]): Promise<Failure | null> {
  for (const [index, [limiter, key]] of buckets.entries()) {
    const refused = await consumePoint(limiter, key);
    if (!refused) continue;
    await giveBackAttempt(buckets.slice(0, index));
    return refused;
  }
  return null;
}

/** A success: the attempt's point comes back. */
export async function giveBackAttempt(buckets: [RateLimiterAbstract, string][]): Promise<void> {
  for (const [limiter, key] of buckets) await limiter.reward(key, 1);
}
