import { failure, type Failure } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { secretAssociatedData } from "./devices.ts";
import { checkHotp, HOTP_LOCKOUT_SECONDS, HOTP_MAX_FAILURES } from "./hotp.ts";
import { openSecret } from "./secret-box.ts";

type DeviceRow = { id: string; userId: string; sealedSecret: string; counter: number; resyncCounter: number | null; lockedUntil: Date | null };

export type OtpVerdict = { ok: true; deviceId: string } | Failure;

/** Any of the user's devices may have produced the code (a person may carry several). */
export async function verifyUserOtp(ctx: HubContext, userId: string, code: string, origin: Origin): Promise<OtpVerdict> {
  return verifyOtpAgainst(ctx, await ctx.db.device.findMany({ where: { userId } }), code, origin);
}

/** The device approving a challenge sends its own code; only its counter may move. */
export async function verifyDeviceOtp(ctx: HubContext, deviceId: string, code: string, origin: Origin): Promise<OtpVerdict> {
  return verifyOtpAgainst(ctx, await ctx.db.device.findMany({ where: { id: deviceId } }), code, origin);
}

async function verifyOtpAgainst(ctx: HubContext, devices: DeviceRow[], code: string, origin: Origin): Promise<OtpVerdict> {
  if (devices.length === 0) return failure("invalid_otp", "There is no paired device to check this code against.");
  const now = ctx.clock.now().getTime();
  const unlocked = devices.filter((device) => !device.lockedUntil || device.lockedUntil.getTime() <= now);
  if (unlocked.length === 0) return lockedFailure(devices, now);

  for (const device of unlocked) {
    const secret = openSecret(ctx.keys.hotpSecrets, device.sealedSecret, secretAssociatedData(device.id));
    const check = checkHotp(secret, { counter: device.counter, resyncCounter: device.resyncCounter }, code);
    if (check.outcome === "accepted") {
      if (await advanceCounter(ctx, device, check.nextCounter)) return { ok: true, deviceId: device.id };
      // Another request used this very code a moment ago: a replay, but not a guess to count.
      return failure("invalid_otp", "The one-time code is wrong or was already used.");
    }
    if (check.outcome === "resync_pending") {
      await ctx.db.device.updateMany({ where: { id: device.id, counter: device.counter }, data: { resyncCounter: check.resyncCounter } });
      return failure("invalid_otp", "The device's counter is far ahead of the hub's: enter the device's next code to resynchronise.");
    }
  }
  const locks: (Date | null)[] = [];
  for (const device of unlocked) locks.push(await countFailure(ctx, device, origin));
  // The code that locks the last open device says so at once, rather than inviting another try.
  const stillLocked = devices.filter((device) => !unlocked.includes(device));
  if (locks.every((until) => until !== null)) return lockedFailure([...stillLocked, ...unlocked.map((device, index) => ({ ...device, lockedUntil: locks[index]! }))], now);
  return failure("invalid_otp", "The one-time code is wrong or was already used.");
}

/**
 * Compare-and-set on the counter the check was made against: of two logins racing with one
 * code, only the first write matches, so a code can never be accepted twice.
 */
async function advanceCounter(ctx: HubContext, device: DeviceRow, nextCounter: number): Promise<boolean> {
  const { count } = await ctx.db.device.updateMany({
    where: { id: device.id, counter: device.counter, resyncCounter: device.resyncCounter },
    data: { counter: nextCounter, resyncCounter: null, failedAttempts: 0, lastUsedAt: ctx.clock.now() },
  });
  return count === 1;
}

/** RFC 4226 7.3: after T consecutive failures, lock the device's checks, and tell the person. */
async function countFailure(ctx: HubContext, device: DeviceRow, origin: Origin): Promise<Date | null> {
  const updated = await ctx.db.device.update({ where: { id: device.id }, data: { failedAttempts: { increment: 1 } } });
  if (updated.failedAttempts < HOTP_MAX_FAILURES) return null;
  const lockedUntil = new Date(ctx.clock.now().getTime() + HOTP_LOCKOUT_SECONDS * 1000);
  await ctx.db.device.update({ where: { id: device.id }, data: { failedAttempts: 0, lockedUntil } });
  await recordAudit(ctx.db, { userId: device.userId, action: "device.otp_locked", origin, details: { deviceId: device.id, until: lockedUntil.toISOString() } });
  ctx.log.warn({ deviceId: device.id }, "device OTP checks locked after repeated failures");
  ctx.events.emit("security-notice", {
    userId: device.userId,
    kind: "otp_locked",
    message: `${HOTP_MAX_FAILURES} wrong codes in a row: one of your devices is locked until ${lockedUntil.toISOString()}; its codes and approvals are refused until then. A recovery code still works.`,
  });
  return lockedUntil;
}

function lockedFailure(devices: DeviceRow[], now: number): Failure {
  const until = Math.min(...devices.map((device) => device.lockedUntil?.getTime() ?? now));
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now) / 1000));
  const message = `Too many wrong codes: the paired device's codes and approvals are refused until ${new Date(until).toISOString()} (${Math.ceil(retryAfterSeconds / 60)} more minute(s)). A recovery code still works.`;
  return failure("otp_locked", message, { retryAfterSeconds });
}
