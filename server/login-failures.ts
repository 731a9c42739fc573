import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { addressKey } from "./addresses.ts";
import type { HubContext, Origin } from "./context.ts";
import { giveBackAttempt } from "./rate-limits.ts";

// Login and password change check a password against the same failure counts; both read them here.

/** The buckets one password attempt takes a point from: per address, per account and address, per account. */
export function loginAttemptBuckets(ctx: HubContext, username: string, origin: Origin): [RateLimiterAbstract, string][] {
  return [
    [ctx.limits.loginFailuresPerAddress, addressKey(origin.address)],
    [ctx.limits.loginFailuresPerAccountAddress, `${username}|${addressKey(origin.address)}`],
    [ctx.limits.loginFailuresPerAccount, username],
  ];
}

/**
 * A right password: the account's failures were not consecutive after all, so its counts start
 * again (NIST SP 800-63B 5.2.2); the address only gets this attempt's point back, so that one
 * account an attacker owns cannot wipe the address's count of guesses at others.
 */
export async function clearLoginFailures(ctx: HubContext, username: string, origin: Origin): Promise<void> {
  await giveBackAttempt([[ctx.limits.loginFailuresPerAddress, addressKey(origin.address)]]);
  await ctx.limits.loginFailuresPerAccountAddress.delete(`${username}|${addressKey(origin.address)}`);
  await ctx.limits.loginFailuresPerAccount.delete(username);
}
