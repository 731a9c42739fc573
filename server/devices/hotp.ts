import { HOTP_SECRET_MIN_BYTES, verifyHotp } from "#otp";
import { HOTP_DIGITS } from "#protocol";

/** RFC 4226 7.4: s, the look-ahead window. Codes at counter .. counter + s - 1 pass. */
export const HOTP_LOOK_AHEAD = 10;
/** RFC 4226 7.4: furthest ahead a code may resynchronise from; bounds the work an attacker can cause. */
export const HOTP_RESYNC_LIMIT = 100;
/** RFC 4226 7.3: T, consecutive failures before the device's code checks lock. */
export const HOTP_MAX_FAILURES = 10;
/** How long the first lock lasts (RFC 4226 7.2: lock, and tell the person); each later one lasts twice the one before. */
export const HOTP_LOCKOUT_SECONDS = 15 * 60;
/**
 * NIST SP 800-63B 5.2.2: consecutive failures after which the device stays locked until its
 * owner acts (a login with a recovery code, or an administrator's unlock), so guessing is
 * bounded for the device's life rather than per lock.
 */
export const HOTP_LIFETIME_FAILURES = 100;

const CODE_PATTERN = new RegExp(`^\\d{${HOTP_DIGITS}}$`);

/** `counter` is the next counter a code may come from; `resyncCounter` a far-ahead code awaiting its successor. */
export interface HotpState {
  counter: number;
  resyncCounter: number | null;
}

export type HotpCheck =
  | { outcome: "accepted"; matchedCounter: number; nextCounter: number }
  | { outcome: "resync_pending"; resyncCounter: number }
  | { outcome: "rejected" };

const REJECTED: HotpCheck = { outcome: "rejected" };

/**
 * Checks a typed code against the device's state. Never accepts a code below `state.counter`,
 * so used and older codes never pass again; the caller stores `nextCounter` (with a
 * compare-and-set on the old counter) and clears `resyncCounter` on acceptance.
 *
 * RFC 4226 7.4: a code within the look-ahead window passes at once. A code further ahead (up to
 * HOTP_RESYNC_LIMIT) only marks `resync_pending`; it passes when the code right after it comes next.
 */
export function checkHotp(secret: Uint8Array, state: HotpState, code: string): HotpCheck {
  assertSecret(secret);
  assertCounter("state.counter", state.counter);
  if (state.resyncCounter !== null) assertCounter("state.resyncCounter", state.resyncCounter);
  if (typeof code !== "string" || !CODE_PATTERN.test(code)) return REJECTED;

  // The look-ahead window is computed whole, and, when it holds no match, every position up to
  // the resync limit: how long a refusal takes does not say where (or whether) the code matched
  // ahead. An acceptance shows itself anyway, so it need not pay for the far positions.
  const windowEnd = Math.min(state.counter + HOTP_LOOK_AHEAD - 1, Number.MAX_SAFE_INTEGER);
  const inWindow = firstMatch(secret, state.counter, windowEnd, code);
  if (inWindow !== -1) return accepted(inWindow);

  const pending = state.resyncCounter;
  // Only a resync point this check could have set counts; a stale one below the counter would
  // move it backwards, so it is never honoured.
  const resyncMatches =
    pending !== null && pending + 1 >= state.counter && pending <= state.counter + HOTP_RESYNC_LIMIT && codeMatches(secret, pending + 1, code);
  const ahead = firstMatch(secret, windowEnd + 1, Math.min(state.counter + HOTP_RESYNC_LIMIT, Number.MAX_SAFE_INTEGER), code);
  if (resyncMatches) return accepted(pending + 1);
  if (ahead !== -1) return { outcome: "resync_pending", resyncCounter: ahead };
  return REJECTED;
}

/** The first counter in first..last whose code is `given`, or -1; every position is computed. */
function firstMatch(secret: Uint8Array, first: number, last: number, given: string): number {
  let found = -1;
  for (let counter = first; counter <= last; counter++) {
    if (codeMatches(secret, counter, given) && found === -1) found = counter;
  }
  return found;
}

function accepted(matchedCounter: number): HotpCheck {
  return { outcome: "accepted", matchedCounter, nextCounter: matchedCounter + 1 };
}

function codeMatches(secret: Uint8Array, counter: number, given: string): boolean {
  return verifyHotp(secret, counter, given, { digits: HOTP_DIGITS });
}

function assertSecret(secret: Uint8Array): void {
  // Checked before the code's shape, so a short secret is caught even when the code is garbage.
  if (!(secret instanceof Uint8Array) || secret.length < HOTP_SECRET_MIN_BYTES) {
    throw new TypeError(`An HOTP secret must be a Uint8Array of at least ${HOTP_SECRET_MIN_BYTES} bytes`);
  }
}

function assertCounter(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new TypeError(`${name} must be a non-negative safe integer, got ${String(value)}`);
}
