import { randomInt } from "node:crypto";
import { failure, NUMBER_MATCH_OPTIONS, success, type DevicePushPayload } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveDevice } from "../devices/devices.ts";
import { verifyDeviceOtp } from "../devices/device-otp.ts";
import { deviceLockState } from "../devices/device-lock.ts";

type PendingChallenge = DevicePushPayload<"challenge:new">;

/** The number the client shows, and the options the device offers: distinct, shuffled. */
export function pickNumberMatch(): { numberMatch: string; options: string[] } {
  const options = new Set<string>();
  while (options.size < NUMBER_MATCH_OPTIONS) options.add(String(randomInt(10, 100)));
  const list = [...options];
  return { numberMatch: list[randomInt(list.length)]!, options: list };
}

type ChallengeRow = {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  address: string | null;
  clientName: string | null;
  numberMatchOptions: string | null;
};

export function describePendingChallenge(row: ChallengeRow, username: string): PendingChallenge {
  return {
    challengeId: row.id,
    username,
    client: { name: row.clientName, address: row.address },
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    numberMatchOptions: row.numberMatchOptions?.split(",") ?? [],
  };
}

const undecided = (now: Date) => ({ usedAt: null, approvedAt: null, deniedAt: null, expiresAt: { gt: now } });

export async function listPendingChallenges(ctx: HubContext, device: ActiveDevice): Promise<PendingChallenge[]> {
  // A device whose code checks are locked can approve nothing: it is shown nothing to approve.
  const now = ctx.clock.now();
  const row = await ctx.db.device.findUnique({ where: { id: device.deviceId }, select: { failedAttempts: true, lockedUntil: true } });
  if (!row || deviceLockState(row, now).locked) return [];
  const rows = await ctx.db.loginChallenge.findMany({
    where: { userId: device.userId, numberMatch: { not: null }, ...undecided(now) },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => describePendingChallenge(row, device.username));
}

/** Tells the devices when a challenge nobody decided on runs out. */
export function scheduleChallengeExpiry(ctx: HubContext, userId: string, challengeId: string, expiresAt: Date): void {
  ctx.later(Math.max(0, expiresAt.getTime() - ctx.clock.now().getTime()) + 50, async () => {
    const row = await ctx.db.loginChallenge.findFirst({ where: { id: challengeId, usedAt: null, approvedAt: null, deniedAt: null } });
    if (row) ctx.events.emit("challenge-closed", { userId, challengeId, outcome: "expired" });
  });
}

/**
 * The client that started the login has gone (its socket closed): nobody can finish it, so it
 * is used up at once and leaves the devices' screens, rather than waiting there to be approved
 * for nobody until it expires.
 */
export async function abandonChallenge(ctx: HubContext, challengeId: string, origin: Origin): Promise<void> {
  const now = ctx.clock.now();
  const { count } = await ctx.db.loginChallenge.updateMany({
    where: { id: challengeId, usedAt: null, deniedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count === 0) return;
  const row = await ctx.db.loginChallenge.findUniqueOrThrow({ where: { id: challengeId }, select: { userId: true, numberMatch: true } });
  await recordAudit(ctx.db, { userId: row.userId, action: "login.abandoned", origin, details: { challengeId } });
  if (row.numberMatch !== null) ctx.events.emit("challenge-closed", { userId: row.userId, challengeId, outcome: "abandoned" });
}

async function findOpenChallenge(ctx: HubContext, device: ActiveDevice, challengeId: string) {
  const row = await ctx.db.loginChallenge.findFirst({ where: { id: challengeId, userId: device.userId, numberMatch: { not: null } } });
  if (!row) return failure("challenge_not_found", "No such login challenge for this account.");
  if (row.usedAt || row.approvedAt || row.deniedAt) return failure("challenge_used", "This login was already decided.");
  if (row.expiresAt.getTime() <= ctx.clock.now().getTime()) return failure("challenge_expired", "This login challenge has expired.");
  return { ok: true as const, row };
}

/** Marks the decision once: of two devices answering at the same time, the first one counts. */
async function decide(ctx: HubContext, challengeId: string, data: { approvedAt: Date; approvedByDeviceId: string } | { deniedAt: Date }) {
  const { count } = await ctx.db.loginChallenge.updateMany({ where: { id: challengeId, usedAt: null, approvedAt: null, deniedAt: null }, data });
  return count === 1;
}

export async function approveChallenge(
  ctx: HubContext,
  device: ActiveDevice,
  input: { challengeId: string; otp: string; numberMatch: string },
  origin: Origin,
) {
  const open = await findOpenChallenge(ctx, device, input.challengeId);
  if (!open.ok) return open;
  if (input.numberMatch !== open.row.numberMatch) {
    if (await decide(ctx, input.challengeId, { deniedAt: ctx.clock.now() })) {
      await recordAudit(ctx.db, { userId: device.userId, action: "login.number_mismatch", origin, details: { challengeId: input.challengeId, deviceId: device.deviceId } });
      ctx.events.emit("challenge-decided", { userId: device.userId, challengeId: input.challengeId, outcome: "denied", reason: "wrong_number" });
    }
    return failure("challenge_denied", "That is not the number the client shows; the login was denied.");
  }
  const verdict = await verifyDeviceOtp(ctx, device.deviceId, input.otp, origin);
  if (!verdict.ok) return verdict;
  if (!(await decide(ctx, input.challengeId, { approvedAt: ctx.clock.now(), approvedByDeviceId: device.deviceId }))) {
    return failure("challenge_used", "This login was already decided.");
  }
  await recordAudit(ctx.db, { userId: device.userId, action: "login.approved", origin, details: { challengeId: input.challengeId, deviceId: device.deviceId } });
  ctx.events.emit("challenge-decided", { userId: device.userId, challengeId: input.challengeId, outcome: "approved" });
  return success({ approved: true as const });
}

export async function denyChallenge(ctx: HubContext, device: ActiveDevice, challengeId: string, origin: Origin) {
  const open = await findOpenChallenge(ctx, device, challengeId);
  if (!open.ok) return open;
  if (!(await decide(ctx, challengeId, { deniedAt: ctx.clock.now() }))) return failure("challenge_used", "This login was already decided.");
  await recordAudit(ctx.db, { userId: device.userId, action: "login.denied", origin, details: { challengeId, deviceId: device.deviceId } });
  ctx.events.emit("challenge-decided", { userId: device.userId, challengeId, outcome: "denied", reason: "denied" });
  return success({ denied: true as const });
}
