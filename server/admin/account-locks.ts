import { failure, success, type Ack, type EventPayload, type EventReply, type Failure } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { unlockUserDevices } from "../devices/device-otp.ts";
import { revokeUserSessions, type ActiveSession } from "../sessions/sessions.ts";
import { adminUserSelect, describeAdminUser, findAdminUser, userNotFound } from "./admin-users.ts";

/**
 * An administrator's lock: the account cannot log in, and its sessions end at once. Its devices
 * stay paired and connected (they hear the notice), so unlocking gives the person back exactly
 * what they had. The reason is for administrators: the person is only told the account is locked.
 */
export async function lockUser(
  ctx: HubContext,
  actor: ActiveSession,
  input: EventPayload<"admin:lock-user">,
  origin: Origin,
): Promise<Ack<EventReply<"admin:lock-user">>> {
  if (input.userId === actor.userId) return failure("forbidden", "You cannot lock your own account.");
  const target = await findAdminUser(ctx, input.userId);
  if (!target) return userNotFound();

  // Locking again keeps the first lock's time; a new reason replaces the old one.
  const reason = input.reason || target.lockReason;
  const updated = await ctx.db.user.update({
    where: { id: target.id },
    data: { lockedAt: target.lockedAt ?? ctx.clock.now(), lockReason: reason },
    select: adminUserSelect,
  });
  await recordAudit(ctx.db, { userId: actor.userId, action: "admin.user_locked", origin, details: { targetUserId: target.id, targetUsername: target.username, reason } });
  await recordAudit(ctx.db, { userId: target.id, action: "account.locked", origin, details: { by: actor.username, reason } });
  // The notice first: the sockets that are about to close still hear why.
  ctx.events.emit("security-notice", {
    userId: target.id,
    kind: "account_locked",
    message: "An administrator locked your account: your sessions have ended, and you cannot log in until it is unlocked.",
  });
  const sessionsEnded = await revokeUserSessions(ctx, target.id, "account_locked");
  return success({ user: describeAdminUser(updated), sessionsEnded });
}

export async function unlockUser(
  ctx: HubContext,
  actor: ActiveSession,
  input: EventPayload<"admin:unlock-user">,
  origin: Origin,
): Promise<Ack<EventReply<"admin:unlock-user">>> {
  const target = await findAdminUser(ctx, input.userId);
  if (!target) return userNotFound();
  // Also lifts the devices' code locks, the lifetime one included: an administrator is an owner's way back.
  await unlockUserDevices(ctx, target.id, actor.username, origin);
  if (target.lockedAt === null) return success({ user: describeAdminUser(target) });
  const updated = await ctx.db.user.update({ where: { id: target.id }, data: { lockedAt: null, lockReason: null }, select: adminUserSelect });
  await recordAudit(ctx.db, { userId: actor.userId, action: "admin.user_unlocked", origin, details: { targetUserId: target.id, targetUsername: target.username } });
  await recordAudit(ctx.db, { userId: target.id, action: "account.unlocked", origin, details: { by: actor.username } });
  return success({ user: describeAdminUser(updated) });
}

export async function isAccountLocked(ctx: HubContext, userId: string): Promise<boolean> {
  const user = await ctx.db.user.findUnique({ where: { id: userId }, select: { lockedAt: true } });
  return user?.lockedAt != null;
}

/** What a login of a locked account is told; only after the right password, so strangers learn nothing. */
export async function refuseLockedLogin(ctx: HubContext, userId: string, origin: Origin): Promise<Failure> {
  await recordAudit(ctx.db, { userId, action: "login.account_locked", origin });
  return failure("account_locked", "This account is locked by an administrator; ask them to unlock it.");
}
