import { verifyTotp } from "#otp/totp";
import { HOTP_DIGITS, TOTP_PERIOD_SECONDS, TOTP_SKEW_STEPS, type DeviceKind } from "#protocol";
import { checkHotp } from "./hotp.ts";

/**
 * The one check of a typed code, whatever the device's kind. HOTP (the PairGate authenticator and
 * standard HOTP apps): RFC 4226 look-ahead and resynchronisation (hotp.ts). TOTP (standard apps):
 * RFC 6238, SHA-1, 6 digits, 30 s, one step of skew each way, and a code of a step already used,
 * or an earlier one, never passes again, even inside its window (RFC 6238 5.2). Failures and
 * locks are counted by the caller the same way for every kind.
 */

/** What a device remembers between codes: the HOTP counter (and a pending resync), or the last TOTP step used. */
export interface DeviceCodeState {
  counter: number;
  resyncCounter: number | null;
  lastTimeStep: number | null;
}

export type DeviceCodeCheck =
  /** Store `next` with a compare-and-set on the state the check read, so one code passes once. */
  | { outcome: "accepted"; next: { counter: number; lastTimeStep: number | null } }
  | { outcome: "resync_pending"; resyncCounter: number }
  | { outcome: "rejected" };

const DEVICE_KINDS_READ: readonly string[] = ["pairgate", "totp", "hotp"] satisfies DeviceKind[];

/** A kind read from the database; anything else there is a bug or tampering, never a guess. */
export function readDeviceKind(stored: string): DeviceKind {
  if (!DEVICE_KINDS_READ.includes(stored)) throw new TypeError(`Unknown device kind in storage: ${JSON.stringify(stored)}`);
  return stored as DeviceKind;
}

/** The kinds of these devices, each once: what sentences and replies name them by. */
export function kindsOf(devices: { kind: string }[]): DeviceKind[] {
  return [...new Set(devices.map((device) => readDeviceKind(device.kind)))];
}

export function checkDeviceCode(kind: DeviceKind, secret: Uint8Array, state: DeviceCodeState, code: string, now: Date): DeviceCodeCheck {
  if (kind !== "totp") {
    const check = checkHotp(secret, { counter: state.counter, resyncCounter: state.resyncCounter }, code);
    if (check.outcome !== "accepted") return check;
    return { outcome: "accepted", next: { counter: check.nextCounter, lastTimeStep: state.lastTimeStep } };
  }
  const check = verifyTotp(secret, code, {
    nowMs: now.getTime(),
    period: TOTP_PERIOD_SECONDS,
    digits: HOTP_DIGITS,
    skewSteps: TOTP_SKEW_STEPS,
    afterStep: state.lastTimeStep,
  });
  // A replay is refused like any wrong code, and counted like one: it tells a guesser nothing new.
  if (!check.ok) return { outcome: "rejected" };
  return { outcome: "accepted", next: { counter: state.counter, lastTimeStep: check.step } };
}
