import { randomBytes, randomUUID } from "node:crypto";
import { encodeBase32Secret } from "#otp";
import {
  HOTP_ALGORITHM,
  HOTP_DIGITS,
  HOTP_SECRET_BYTES,
  failure,
  success,
  type Ack,
  type DeviceEventPayload,
  type DeviceEventReply,
} from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import { addressKey } from "../addresses.ts";
import { giveBackAttempt, takeAttempt } from "../rate-limits.ts";
import { pairWithBindingCode } from "./binding-codes.ts";
import { generateDeviceToken, hashDeviceToken } from "./device-tokens.ts";
import { sealSecret } from "./secret-box.ts";
import { deviceLockState } from "./device-lock.ts";
import { readDeviceKind } from "./device-codes.ts";

/** The sealed secret names its device, so a sealed value moved to another row fails to open. */
export const secretAssociatedData = (deviceId: string) => `pairgate-device:${deviceId}`;

/** Pairs an authenticator: a fresh 160-bit secret, returned once; the client that asked is told. */
export async function bindDevice(
  ctx: HubContext,
  input: DeviceEventPayload<"device:bind">,
  origin: Origin,
): Promise<Ack<DeviceEventReply<"device:bind">>> {
  const attempt: [RateLimiterAbstract, string][] = [[ctx.limits.bindingFailuresPerAddress, addressKey(origin.address)]];
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  const deviceId = randomUUID();
  const secret = randomBytes(HOTP_SECRET_BYTES);
  const deviceToken = generateDeviceToken();
  const bound = await pairWithBindingCode(ctx, input.code, async (tx, use) => {
    // The name the person gave when asking for the code wins over the authenticator's default.
    const device = await tx.device.create({
      data: {
        id: deviceId,
        userId: use.userId,
        name: use.deviceName ?? input.name,
        tokenHash: hashDeviceToken(deviceToken),
        sealedSecret: sealSecret(ctx.keys.hotpSecrets, secret, secretAssociatedData(deviceId)),
      },
      include: { user: { select: { username: true } } },
    });
    return { use, device };
  });
  if (!bound.ok) {
    ctx.log.info({ reason: bound.reason, address: origin.address }, "binding code refused");
    const message = bound.reason === "expired" ? "This binding code has expired; ask for a new one." : "This binding code is wrong or was already used.";
    return failure("invalid_binding_code", message);
  }

  await giveBackAttempt(attempt);
  const { use, device } = bound.paired;
  const name = device.name;
  await recordAudit(ctx.db, { userId: use.userId, action: "device.bound", origin, details: { deviceId, name } });
  ctx.events.emit("device-bound", { userId: use.userId, sessionId: use.sessionId, device: { id: deviceId, name: device.name } });
  ctx.events.emit("security-notice", { userId: use.userId, kind: "device_added", message: `A new device "${device.name}" was paired with your account.` });
  return success({
    deviceId,
    deviceToken,
    username: device.user.username,
    name: device.name,
    secret: encodeBase32Secret(secret),
    counter: device.counter,
    digits: HOTP_DIGITS,
    algorithm: HOTP_ALGORITHM,
  });
}

export interface ActiveDevice {
  deviceId: string;
  userId: string;
}

/**
 * Every authenticator's handshake, and a restarted hub meets them all at once: one indexed read
 * of the three columns it needs, no relation (the username read along with it doubled the cost).
 */
export async function authenticateDevice(ctx: HubContext, deviceId: string, deviceToken: string): Promise<ActiveDevice | null> {
  const device = await ctx.db.device.findUnique({ where: { tokenHash: hashDeviceToken(deviceToken) }, select: { id: true, userId: true, kind: true } });
  // The token alone identifies the device; the id must agree, so a token is never tried against another device.
  // Only a paired PairGate authenticator holds a token; a standard app never connects.
  if (!device || device.id !== deviceId || device.kind !== "pairgate") return null;
  return { deviceId: device.id, userId: device.userId };
}

type DescribedDevice = { id: string; name: string; kind: string; createdAt: Date; lastUsedAt: Date | null; failedAttempts: number; lockedUntil: Date | null };

export function describeDevice(device: DescribedDevice, now: Date) {
  const lock = deviceLockState(device, now);
  return {
    id: device.id,
    name: device.name,
    kind: readDeviceKind(device.kind),
    createdAt: device.createdAt.toISOString(),
    lastUsedAt: device.lastUsedAt?.toISOString() ?? null,
    lockedUntil: lock.locked && lock.until !== "owner" ? lock.until.toISOString() : null,
    needsOwnerUnlock: lock.locked && lock.until === "owner",
  };
}

export async function listUserDevices(ctx: HubContext, userId: string) {
  const devices = await ctx.db.device.findMany({ where: { userId }, orderBy: { createdAt: "asc" } });
  const now = ctx.clock.now();
  return devices.map((device) => describeDevice(device, now));
}

export async function renameDevice(ctx: HubContext, userId: string, deviceId: string, name: string, origin: Origin) {
  const { count } = await ctx.db.device.updateMany({ where: { id: deviceId, userId }, data: { name } });
  if (count === 0) return failure("device_not_found", "No such device on this account.");
  await recordAudit(ctx.db, { userId, action: "device.renamed", origin, details: { deviceId, name } });
  return success({ device: describeDevice(await ctx.db.device.findUniqueOrThrow({ where: { id: deviceId } }), ctx.clock.now()) });
}

/** Deletes the device: its token and codes stop working, and its live sockets are closed. */
export async function revokeDevice(ctx: HubContext, userId: string, deviceId: string, origin: Origin) {
  const { count } = await ctx.db.device.deleteMany({ where: { id: deviceId, userId } });
  if (count === 0) return failure("device_not_found", "No such device on this account.");
  await recordAudit(ctx.db, { userId, action: "device.revoked", origin, details: { deviceId } });
  ctx.events.emit("device-revoked", { userId, deviceId });
  ctx.events.emit("security-notice", { userId, kind: "device_revoked", message: "A device was unpaired from your account." });
  return success({ revoked: true as const });
}
