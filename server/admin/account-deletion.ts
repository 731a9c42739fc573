import { failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { findAdminUser, userNotFound } from "./admin-users.ts";

/**
 * Deletes the account. Its keys, sessions, devices, challenges and codes go with it (the schema
 * cascades); its audit rows stay, without the account. The row goes first and the sockets are
 * closed right after, so that a handshake racing the deletion finds no session or device to
 * attach. The target's own audit does not survive, so the administrator's row keeps the name.
 */
export async function deleteUser(
  ctx: HubContext,
  actor: ActiveSession,
  input: EventPayload<"admin:delete-user">,
  origin: Origin,
): Promise<Ack<EventReply<"admin:delete-user">>> {
  if (input.userId === actor.userId) return failure("forbidden", "You cannot delete your own account; another administrator can.");
  const target = await findAdminUser(ctx, input.userId);
  if (!target) return userNotFound();

  const { count } = await ctx.db.user.deleteMany({ where: { id: target.id } });
  if (count === 0) return userNotFound();
  ctx.events.emit("user-deleted", { userId: target.id });
  await recordAudit(ctx.db, {
    userId: actor.userId,
    action: "admin.user_deleted",
    origin,
    details: { targetUserId: target.id, targetUsername: target.username, devices: target._count.devices },
  });
  return success({ deleted: true as const });
}
