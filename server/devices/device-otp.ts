import { type DeviceKind, devicesInWords, failure, type Failure } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { Transaction } from "../db/client.ts";
import { secretAssociatedData } from "./devices.ts";
import { deviceLockState, lockSecondsAfterFailure, UNLOCKED_DEVICE, type DeviceLockState } from "./device-lock.ts";
import { checkDeviceCode, kindsOf, readDeviceKind } from "./device-codes.ts";
import { HOTP_LIFETIME_FAILURES } from "./hotp.ts";
import { openSecret } from "./secret-box.ts";

type DeviceRow = {
  id: string;
  userId: string;
  kind: string;
  sealedSecret: string;
  counter: number;
  resyncCounter: number | null;
  lastTimeStep: number | null;
  failedAttempts: number;
  lockedUntil: Date | null;
};

export type OtpVerdict = { ok: true; deviceId: string } | Failure;

/**
 * Writes that must commit together with an accepted code's counter step (the approval the code
 * allows, and its audit): one commit instead of several, and never one without the other.
 */
export type WithCounterStep = (tx: Transaction) => Promise<void>;

/** Any of the user's devices may have produced the code (a person may carry several, of any kind). */
export async function verifyUserOtp(ctx: HubContext, userId: string, code: string, origin: Origin): Promise<OtpVerdict> {
  return verifyOtpAgainst(ctx, await ctx.db.device.findMany({ where: { userId } }), code, origin);
}

/**
 * The device approving a challenge sends its own code; only its counter may move. `alongside`
 * commits with the counter step when the code is accepted.
 */
export async function verifyDeviceOtp(ctx: HubContext, device: DeviceRow | null, code: string, origin: Origin, alongside?: WithCounterStep): Promise<OtpVerdict> {
  return verifyOtpAgainst(ctx, device ? [device] : [], code, origin, alongside);
}

/** The row verifyDeviceOtp checks against: read it beside the other reads of a request. */
export function readDeviceForOtp(ctx: HubContext, deviceId: string): Promise<DeviceRow | null> {
  return ctx.db.device.findUnique({ where: { id: deviceId } });
}

async function verifyOtpAgainst(ctx: HubContext, devices: DeviceRow[], code: string, origin: Origin, alongside?: WithCounterStep): Promise<OtpVerdict> {
  if (devices.length === 0) return failure("invalid_otp", "The account has no device (a PairGate authenticator or an authenticator app) to check this code against.");
  const now = ctx.clock.now();
  const unlocked = devices.filter((device) => !deviceLockState(device, now).locked);
  if (unlocked.length === 0) return lockedFailure(devices.map((device) => deviceLockState(device, now)), now, kindsOf(devices));

  for (const device of unlocked) {
    const secret = openSecret(ctx.keys.hotpSecrets, device.sealedSecret, secretAssociatedData(device.id));
    const check = checkDeviceCode(readDeviceKind(device.kind), secret, device, code, now);
    if (check.outcome === "accepted") {
      if (await advanceState(ctx, device, check.next, alongside)) return { ok: true, deviceId: device.id };
      // Another request used this very code a moment ago: a replay, but not a guess to count.
      return failure("invalid_otp", "The one-time code is wrong or was already used.");
    }
    if (check.outcome === "resync_pending") {
      await ctx.db.device.updateMany({ where: { id: device.id, counter: device.counter }, data: { resyncCounter: check.resyncCounter } });
      // Counted like any wrong code: otherwise a guesser could try the far range without limit.
      // The device's next code completes the resynchronisation, and that success resets the count.
      const state = await countFailure(ctx, device, origin);
      if (state.locked) return lockedFailure([state], ctx.clock.now(), kindsOf([device]));
      return failure("invalid_otp", "The device's counter is far ahead of the hub's: enter the device's next code to resynchronise.");
    }
  }
  const states: DeviceLockState[] = [];
  for (const device of unlocked) states.push(await countFailure(ctx, device, origin));
  // The code that locks the last open device says so at once, rather than inviting another try.
  const stillLocked = devices.filter((device) => !unlocked.includes(device)).map((device) => deviceLockState(device, now));
  if (states.every((state) => state.locked)) return lockedFailure([...stillLocked, ...states], ctx.clock.now(), kindsOf(devices));
  return failure("invalid_otp", "The one-time code is wrong or was already used.");
}

/**
 * Compare-and-set on the state the check was made against (the HOTP counter, the last TOTP step):
 * of two logins racing with one code, only the first write matches, so a code can never be
 * accepted twice.
 */
async function advanceState(ctx: HubContext, device: DeviceRow, next: { counter: number; lastTimeStep: number | null }, alongside?: WithCounterStep): Promise<boolean> {
  const step = (db: Transaction) =>
    db.device.updateMany({
      where: { id: device.id, counter: device.counter, resyncCounter: device.resyncCounter, lastTimeStep: device.lastTimeStep },
      data: { counter: next.counter, resyncCounter: null, lastTimeStep: next.lastTimeStep, failedAttempts: 0, lastUsedAt: ctx.clock.now() },
    });
  if (!alongside) return (await step(ctx.db)).count === 1;
  return ctx.db.$transaction(async (tx) => {
    if ((await step(tx)).count !== 1) return false;
    await alongside(tx);
    return true;
  });
}

/**
 * RFC 4226 7.3: every T consecutive failures lock the device's checks, each lock twice as long
 * as the one before; at the lifetime bound it stays locked until its owner acts. The count is
 * not reset by a lock, only by a success or the owner's unlock. The person is told of each lock.
 */
async function countFailure(ctx: HubContext, device: DeviceRow, origin: Origin): Promise<DeviceLockState> {
  // One transaction: a crash between the count and its lock must not leave the failure counted
  // and the lock it earned missing (the next failure would not lock again).
  const counted = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.device.update({ where: { id: device.id }, data: { failedAttempts: { increment: 1 } } });
    const lockSeconds = lockSecondsAfterFailure(updated.failedAttempts);
    if (lockSeconds === null) return { updated, stored: null, lockSeconds };
    const lockedUntil = lockSeconds === Infinity ? null : new Date(ctx.clock.now().getTime() + lockSeconds * 1000);
    return { updated, stored: await tx.device.update({ where: { id: device.id }, data: { lockedUntil } }), lockSeconds };
  });
  const { updated, stored, lockSeconds } = counted;
  if (stored === null) return deviceLockState(updated, ctx.clock.now());
  const forGood = lockSeconds === Infinity;
  const lockedUntil = stored.lockedUntil;
  const until = lockedUntil?.toISOString() ?? "owner";
  await recordAudit(ctx.db, { userId: device.userId, action: "device.otp_locked", origin, details: { deviceId: device.id, until, failures: updated.failedAttempts } });
  ctx.log.warn({ deviceId: device.id, failures: updated.failedAttempts }, "device OTP checks locked after repeated failures");
  ctx.events.emit("security-notice", {
    userId: device.userId,
    kind: "otp_locked",
    message: forGood
      ? `${updated.failedAttempts} wrong codes in a row: one of your devices is locked until you log in with a recovery code (which unlocks it) or an administrator unlocks it; its codes and approvals are refused until then.`
      : `${updated.failedAttempts} wrong codes in a row: one of your devices is locked until ${until}; its codes and approvals are refused until then. A recovery code still works.`,
  });
  return deviceLockState(stored, ctx.clock.now());
}

/**
 * The owner's unlock (a login with a recovery code, or an administrator): every device of the
 * account gets a clean count and no lock. Audited per device and told to the person.
 */
export async function unlockUserDevices(ctx: HubContext, userId: string, by: string, origin: Origin): Promise<number> {
  const now = ctx.clock.now();
  const devices = await ctx.db.device.findMany({ where: { userId }, select: { id: true, failedAttempts: true, lockedUntil: true } });
  const touched = devices.filter((device) => device.failedAttempts > 0 || deviceLockState(device, now).locked);
  if (touched.length === 0) return 0;
  await ctx.db.device.updateMany({ where: { id: { in: touched.map((device) => device.id) } }, data: UNLOCKED_DEVICE });
  const wereLocked = touched.filter((device) => deviceLockState(device, now).locked);
  for (const device of wereLocked) await recordAudit(ctx.db, { userId, action: "device.otp_unlocked", origin, details: { deviceId: device.id, by } });
  if (wereLocked.length > 0) {
    ctx.events.emit("security-notice", {
      userId,
      kind: "otp_unlocked",
      message: `${wereLocked.length === 1 ? "Your locked device was" : `${wereLocked.length} locked devices were`} unlocked (${by === "recovery_code" ? "by a login with a recovery code" : `by the administrator ${by}`}): its codes and approvals work again.`,
    });
  }
  return wereLocked.length;
}

function lockedFailure(states: DeviceLockState[], now: Date, deviceKinds: DeviceKind[]): Failure {
  const { noun, approves } = devicesInWords(deviceKinds);
  const refused = `codes${approves ? " and approvals" : ""} from ${noun} are refused`;
  const ends = states.flatMap((state) => (state.locked && state.until !== "owner" ? [state.until.getTime()] : []));
  if (ends.length === 0) {
    return failure(
      "otp_locked",
      `Too many wrong codes in a row (${HOTP_LIFETIME_FAILURES}): ${refused} until you log in with a recovery code, which lifts the lock, or an administrator lifts it.`,
      { deviceKinds },
    );
  }
  const until = Math.min(...ends);
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  const message = `Too many wrong codes: ${refused} until ${new Date(until).toISOString()} (${Math.ceil(retryAfterSeconds / 60)} more minute(s)). A recovery code still works.`;
  return failure("otp_locked", message, { retryAfterSeconds, deviceKinds });
}

