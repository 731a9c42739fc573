import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { CODE_MAILS_PER_MINUTE, LOGIN_KEY_PROOF_MAX_SKEW_SECONDS, failure, type Failure } from "#protocol";
import { addressKey } from "./addresses.ts";

/**
 * Named limits, each a rate-limiter-flexible bucket. Attempts that can fail take their point
 * before the work (so parallel requests cannot all slip past a check made before any of them
 * failed) and give it back on success (NIST SP 800-63B 5.2.2 allows at most 100 consecutive
 * failures per account). The tight login limit is per account and address, so that a stranger
 * cannot lock a person out; a looser one per account bounds guessing from many addresses.
 */
/** At most `points` in any `durationSeconds`. */
export interface Budget {
  points: number;
  durationSeconds: number;
}

export interface RateLimitSettings {
  loginFailuresPerAccountAddress: Budget;
  loginFailuresPerAccount: Budget;
  loginFailuresPerAddress: Budget;
  loginFailuresPerKey: Budget;
  keyProofUses: Budget;
  registrationsPerAddress: Budget;
  eventsPerSocket: Budget;
  bindingFailuresPerAddress: Budget;
  messagesPerUser: Budget;
  verificationMailsPerAccount: Budget;
  verificationMailsPerAddress: Budget;
  resetMailsPerAccount: Budget;
  resetMailsPerAddress: Budget;
  keyCodeMailsPerAccount: Budget;
  loginPushesPerAccount: Budget;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  loginFailuresPerAccountAddress: { points: 10, durationSeconds: 15 * 60 },
  loginFailuresPerAccount: { points: 100, durationSeconds: 60 * 60 }, // ASVS 4 2.2.1
  loginFailuresPerAddress: { points: 50, durationSeconds: 15 * 60 },
  // A login that proves it holds a key of the account counts its failures here instead of in the
  // three buckets above, so that strangers filling those cannot lock the key's owner out.
  loginFailuresPerKey: { points: 10, durationSeconds: 15 * 60 },
  // Each key proof is accepted once while it is fresh: one point per signature for the width of
  // the window around the hub's clock in which a timestamp is accepted.
  keyProofUses: { points: 1, durationSeconds: 2 * LOGIN_KEY_PROOF_MAX_SKEW_SECONDS },
  registrationsPerAddress: { points: 20, durationSeconds: 60 * 60 },
  eventsPerSocket: { points: 100, durationSeconds: 10 },
  // A wrong binding code names no code to count against, so wrong tries are counted per address
  // (per /64 for IPv6). There is no hub-wide count: strangers filling it would stop every owner
  // from pairing. What keeps guessing hopeless is 2^40 codes living 5 minutes against 5 guesses
  // per address per 15 minutes (docs/SECURITY.md, "Pairing a device").
  bindingFailuresPerAddress: { points: 5, durationSeconds: 15 * 60 },
  // A conversation's pace with room for bursts; a script flooding someone's screens is not.
  messagesPerUser: { points: 20, durationSeconds: 10 },
  // Emails with codes: 3 a minute, per account and per address, so the hub cannot be used to
  // flood a mailbox. For verification and reset mails the account key is the name as typed,
  // existing or not, so that being refused says nothing about whether the account exists.
  verificationMailsPerAccount: { points: CODE_MAILS_PER_MINUTE, durationSeconds: 60 },
  verificationMailsPerAddress: { points: CODE_MAILS_PER_MINUTE, durationSeconds: 60 },
  resetMailsPerAccount: { points: CODE_MAILS_PER_MINUTE, durationSeconds: 60 },
  resetMailsPerAddress: { points: CODE_MAILS_PER_MINUTE, durationSeconds: 60 },
  keyCodeMailsPerAccount: { points: CODE_MAILS_PER_MINUTE, durationSeconds: 60 },
  // Login requests pushed to an account's devices, after a verified key signature (push fatigue).
  // A person logging in needs one, two after a timeout or a slip; five in ten minutes leaves room
  // for that and caps someone who knows the password (and so can sign with a fresh key of their
  // own) at 30 requests an hour. Counted per key the account holds, and once more for all new
  // machines together, so that a stranger's pushes never use up the owner's (server/auth/login-push.ts).
  loginPushesPerAccount: { points: 5, durationSeconds: 10 * 60 },
};

export type RateLimits = Record<keyof RateLimitSettings, RateLimiterAbstract>;

/** Makes one named bucket: in this process's memory, or in a store every hub process shares. */
export type BucketFactory = (name: string, limit: Budget) => RateLimiterAbstract;

export const memoryBucket: BucketFactory = (name, { points, durationSeconds }) =>
  new RateLimiterMemory({ keyPrefix: name, points, duration: durationSeconds });

/**
 * `bucket` is memoryBucket on one process, and with REDIS_URL a Redis bucket (dependencies/redis-rate-limits.ts),
 * so that a limit reached through one hub process holds on every other.
 */
export function createRateLimits(settings: RateLimitSettings = DEFAULT_RATE_LIMITS, bucket: BucketFactory = memoryBucket): RateLimits {
  return {
    loginFailuresPerAccountAddress: bucket("login-fail-account-address", settings.loginFailuresPerAccountAddress),
    loginFailuresPerAccount: bucket("login-fail-account", settings.loginFailuresPerAccount),
    loginFailuresPerAddress: bucket("login-fail-address", settings.loginFailuresPerAddress),
    loginFailuresPerKey: bucket("login-fail-key", settings.loginFailuresPerKey),
    keyProofUses: bucket("key-proof-uses", settings.keyProofUses),
    registrationsPerAddress: bucket("register-address", settings.registrationsPerAddress),
    // Always in memory: a socket lives on one process, so its budget needs no sharing, costs no
    // Redis round trip per event, and a Redis outage does not stop logouts or revocations. (The
    // REST mirror's per-address budget shares this bucket, and so is counted per process.)
    eventsPerSocket: memoryBucket("socket-events", settings.eventsPerSocket),
    bindingFailuresPerAddress: bucket("bind-fail-address", settings.bindingFailuresPerAddress),
    messagesPerUser: bucket("messages-user", settings.messagesPerUser),
    verificationMailsPerAccount: bucket("verify-mail-account", settings.verificationMailsPerAccount),
    verificationMailsPerAddress: bucket("verify-mail-address", settings.verificationMailsPerAddress),
    resetMailsPerAccount: bucket("reset-mail-account", settings.resetMailsPerAccount),
    resetMailsPerAddress: bucket("reset-mail-address", settings.resetMailsPerAddress),
    keyCodeMailsPerAccount: bucket("key-code-mail-account", settings.keyCodeMailsPerAccount),
    loginPushesPerAccount: bucket("login-push-account", settings.loginPushesPerAccount),
  };
}

/**
 * Guesses at emailed codes and recovery codes count against the login limits (same buckets, same
 * points), under account keys of their own, so that a right password does not wipe them.
 */
export function codeAttemptBuckets(
  limits: RateLimits,
  kind: "email-code" | "recovery-code",
  username: string,
  address: string,
): [RateLimiterAbstract, string][] {
  return [
    [limits.loginFailuresPerAddress, addressKey(address)],
    [limits.loginFailuresPerAccountAddress, `${kind}:${username}|${addressKey(address)}`],
    [limits.loginFailuresPerAccount, `${kind}:${username}`],
  ];
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
