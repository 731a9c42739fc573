import { PUSH_HOLD_AFTER_NOT_ME_SECONDS } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveDevice } from "../devices/devices.ts";

type ReportedChallenge = { id: string; address: string | null; clientName: string | null; newKey: boolean; keyFingerprint: string | null };

/**
 * "This wasn't me": the login was just denied on a device, and the person says it was not theirs.
 * Whoever tried knows the password, so the account's pushes are held (no more requests to tap
 * away), the other requests still waiting are denied with it, and every signed-in client of the
 * account is told. The owner still logs in meanwhile with the device's code or a recovery code.
 * Answers until when pushes are held.
 */
export async function reportNotMe(ctx: HubContext, device: ActiveDevice, challenge: ReportedChallenge, origin: Origin): Promise<Date> {
  const now = ctx.clock.now();
  const pushesHeldUntil = new Date(now.getTime() + PUSH_HOLD_AFTER_NOT_ME_SECONDS * 1000);
  await ctx.db.user.update({ where: { id: device.userId }, data: { pushesHeldUntil } });
  await recordAudit(ctx.db, {
    userId: device.userId,
    action: "login.reported_not_me",
    origin,
    details: {
      challengeId: challenge.id,
      deviceId: device.deviceId,
      loginAddress: challenge.address,
      clientName: challenge.clientName,
      keyFingerprint: challenge.keyFingerprint,
      newKey: challenge.newKey,
      pushesHeldUntil: pushesHeldUntil.toISOString(),
    },
  });
  ctx.events.emit("challenge-decided", { userId: device.userId, challengeId: challenge.id, outcome: "denied", reason: "not_me" });
  await denyOtherWaitingLogins(ctx, device.userId, challenge.id, now);

  const from = challenge.clientName ? `${challenge.address ?? "an unknown address"} (${challenge.clientName})` : (challenge.address ?? "an unknown address");
  ctx.events.emit("login-reported", {
    userId: device.userId,
    report: {
      challengeId: challenge.id,
      client: { name: challenge.clientName, address: challenge.address },
      newKey: challenge.newKey,
      pushesHeldUntil: pushesHeldUntil.toISOString(),
      message: `A login from ${from} was reported on your device as not you. Whoever tried knows your password: change it. Logins are not pushed to your devices until ${pushesHeldUntil.toISOString()}.`,
      at: now.toISOString(),
    },
  });
  return pushesHeldUntil;
}

/** The rest of a flood goes with the reported login: each waiting request is denied the same way. */
async function denyOtherWaitingLogins(ctx: HubContext, userId: string, reportedId: string, now: Date): Promise<void> {
  const waiting = await ctx.db.loginChallenge.findMany({
    where: { userId, id: { not: reportedId }, numberMatch: { not: null }, usedAt: null, approvedAt: null, deniedAt: null, expiresAt: { gt: now } },
    select: { id: true },
  });
  for (const { id } of waiting) {
    const { count } = await ctx.db.loginChallenge.updateMany({ where: { id, usedAt: null, approvedAt: null, deniedAt: null }, data: { deniedAt: now } });
    if (count === 1) ctx.events.emit("challenge-decided", { userId, challengeId: id, outcome: "denied", reason: "not_me" });
  }
}

/** Until when the account's pushes are held after a "this wasn't me", or null when they are not. */
export function pushesHeldUntil(user: { pushesHeldUntil: Date | null }, now: Date): Date | null {
  const until = user.pushesHeldUntil;
  return until && until.getTime() > now.getTime() ? until : null;
}
