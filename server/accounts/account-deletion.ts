import { PASSWORD_MAX_BYTES, failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { clearLoginFailures, loginAttemptBuckets } from "../login-failures.ts";
import { openAdmission } from "../passwords/fair-queue.ts";
import { takeAttempt } from "../rate-limits.ts";
import type { ActiveSession } from "../sessions/sessions.ts";

/**
 * Removes the account row; its keys, sessions, devices, challenges and codes go with it (the
 * schema cascades) and its audit rows stay, without the account. The row goes first and the
 * sockets are closed right after, so that a handshake racing the deletion finds no session or
 * device to attach. False when the account was already gone.
 */
export async function removeAccount(ctx: HubContext, userId: string): Promise<boolean> {
  const { count } = await ctx.db.user.deleteMany({ where: { id: userId } });
  if (count === 0) return false;
  ctx.events.emit("user-deleted", { userId });
  return true;
}

/**
 * Deletes the caller's own account. A session alone is not enough: a token left on a shared
 * machine must not be able to destroy the account, so the password is proven again, under the
 * same failure limits as a login.
 */
export async function deleteOwnAccount(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"account:delete">,
  origin: Origin,
): Promise<Ack<EventReply<"account:delete">>> {
  const limited = await takeAttempt(loginAttemptBuckets(ctx, session.username, origin));
  if (limited) return limited;

  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: session.userId }, include: { _count: { select: { devices: true } } } });
  const checkable = Buffer.byteLength(input.password, "utf8") <= PASSWORD_MAX_BYTES;
  const admission = openAdmission(origin.address, session.username);
  if (!checkable || !(await ctx.passwords.verify(input.password, user.passwordHash, admission))) {
    await recordAudit(ctx.db, { userId: user.id, action: "account.delete_failed", origin });
    return failure("invalid_credentials", "The password is wrong.");
  }
  await clearLoginFailures(ctx, session.username, origin);

  if (!(await removeAccount(ctx, user.id))) return failure("invalid_credentials", "The password is wrong.");
  // The account's own rows lose their owner with it, so this one keeps the name.
  await recordAudit(ctx.db, {
    userId: null,
    action: "account.deleted",
    origin,
    details: { deletedUserId: user.id, deletedUsername: user.username, devices: user._count.devices },
  });
  return success({ deleted: true as const });
}
