import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { failure, type Failure } from "#protocol";

/**
 * Named limits, each a rate-limiter-flexible bucket. Failure counters are consumed on a
 * failure and cleared on success (NIST SP 800-63B 5.2.2 asks for at most 100 consecutive
 * failures per account; we allow far fewer).
 */
export interface RateLimitSettings {
  loginFailuresPerAccount: { points: number; durationSeconds: number };
  loginFailuresPerAddress: { points: number; durationSeconds: number };
  registrationsPerAddress: { points: number; durationSeconds: number };
  eventsPerSocket: { points: number; durationSeconds: number };
  bindingFailuresPerAddress: { points: number; durationSeconds: number };
  bindingAttempts: { points: number; durationSeconds: number };
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginFailuresPerAccount: { points: 10, durationSeconds: 15 * 60 },
  loginFailuresPerAddress: { points: 50, durationSeconds: 15 * 60 },
  registrationsPerAddress: { points: 20, durationSeconds: 60 * 60 },
  eventsPerSocket: { points: 100, durationSeconds: 10 },
  // A wrong binding code names no code to count against, so wrong tries are counted per address,
  // and all binding attempts hub-wide are capped against guessing from many addresses.
  bindingFailuresPerAddress: { points: 5, durationSeconds: 15 * 60 },
  bindingAttempts: { points: 60, durationSeconds: 60 },
};

export type RateLimits = Record<keyof RateLimitSettings, RateLimiterAbstract>;

export function createRateLimits(settings: RateLimitSettings = DEFAULT_RATE_LIMITS): RateLimits {
  const bucket = (name: string, { points, durationSeconds }: { points: number; durationSeconds: number }) =>
    new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });
  return {
    loginFailuresPerAccount: bucket("login-fail-account", settings.loginFailuresPerAccount),
    loginFailuresPerAddress: bucket("login-fail-address", settings.loginFailuresPerAddress),
    registrationsPerAddress: bucket("register-address", settings.registrationsPerAddress),
    eventsPerSocket: bucket("socket-events", settings.eventsPerSocket),
    bindingFailuresPerAddress: bucket("bind-fail-address", settings.bindingFailuresPerAddress),
    bindingAttempts: bucket("bind-attempts", settings.bindingAttempts),
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

/** Without taking a point: is the bucket already empty? For counters of failures. */
export async function checkExhausted(limiter: RateLimiterAbstract, key: string): Promise<Failure | null> {
  const state = await limiter.get(key);
  if (!state || state.consumedPoints < limiter.points) return null;
  return rateLimitedFailure(state.msBeforeNext);
}

/** Counts a failure; never throws when the bucket is already empty. */
export async function recordFailure(limiter: RateLimiterAbstract, key: string): Promise<void> {
  await limiter.penalty(key, 1);
}
