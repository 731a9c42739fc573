import { HOTP_LIFETIME_FAILURES, HOTP_LOCKOUT_SECONDS, HOTP_MAX_FAILURES } from "./hotp.ts";

/** Whether a device's code checks (and approvals) are refused now: open, locked for a time, or until its owner acts. */
export type DeviceLockState = { locked: false } | { locked: true; until: Date } | { locked: true; until: "owner" };

/**
 * The one reading of a device's lock, shared by every place that refuses a locked device, so
 * they always agree. The owner lock is derived from the failure count (not stored), so it
 * survives the end of any timed lock and needs no column of its own.
 */
export function deviceLockState(device: { failedAttempts: number; lockedUntil: Date | null }, now: Date): DeviceLockState {
  if (device.failedAttempts >= HOTP_LIFETIME_FAILURES) return { locked: true, until: "owner" };
  if (device.lockedUntil && device.lockedUntil.getTime() > now.getTime()) return { locked: true, until: device.lockedUntil };
  return { locked: false };
}

/**
 * After a failure, how long the lock that failure starts lasts in seconds: null when it starts
 * none, Infinity at the lifetime bound. A lock starts at every HOTP_MAX_FAILURES consecutive
 * failures, the n-th lasting HOTP_LOCKOUT_SECONDS x 2^(n-1), so a guesser's rate keeps halving.
 */
export function lockSecondsAfterFailure(failedAttempts: number): number | null {
  if (failedAttempts >= HOTP_LIFETIME_FAILURES) return Infinity;
  if (failedAttempts === 0 || failedAttempts % HOTP_MAX_FAILURES !== 0) return null;
  return HOTP_LOCKOUT_SECONDS * 2 ** (failedAttempts / HOTP_MAX_FAILURES - 1);
}

/** What resets a device that its owner unlocks: the count (and so the owner lock) and any timed lock. */
export const UNLOCKED_DEVICE = { failedAttempts: 0, lockedUntil: null } as const;

/**
 * When every one of the account's devices is locked, the moment the first one unlocks ("owner"
 * when none will by itself); null when one can answer now, or when there is none.
 */
export function whenAllLocked(devices: { failedAttempts: number; lockedUntil: Date | null }[], now: Date): Date | "owner" | null {
  if (devices.length === 0) return null;
  const ends: number[] = [];
  for (const device of devices) {
    const lock = deviceLockState(device, now);
    if (!lock.locked) return null;
    if (lock.until !== "owner") ends.push(lock.until.getTime());
  }
  return ends.length === 0 ? "owner" : new Date(Math.min(...ends));
}

/** The reply fields of `auth:login` and `auth:prove-key` that say every device is locked. */
export function otpLockFields(lock: Date | "owner" | null): { otpNeedsOwnerUnlock?: true; otpLockedUntil?: string } {
  if (lock === "owner") return { otpNeedsOwnerUnlock: true };
  return lock ? { otpLockedUntil: lock.toISOString() } : {};
}
