import { failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { removeAccount } from "../accounts/account-deletion.ts";
import { findAdminUser, userNotFound } from "./admin-users.ts";

/**
 * Deletes the account with everything it had (see removeAccount). The target's own audit rows
 * lose their owner, so the administrator's row keeps the name.
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

  if (!(await removeAccount(ctx, target.id))) return userNotFound();
  await recordAudit(ctx.db, {
    userId: actor.userId,
    action: "admin.user_deleted",
    origin,
    details: { targetUserId: target.id, targetUsername: target.username, devices: target._count.devices },
  });
  return success({ deleted: true as const });
}
