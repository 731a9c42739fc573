import type { HubContext, Origin } from "../context.ts";

/**
 * A login from an address none of the account's earlier successful logins came from: the person
 * is told on their other clients and devices. The very first login is not news, so it is not told.
 * Call before the current login is audited.
 */
export async function noticeNewAddress(ctx: HubContext, userId: string, origin: Origin): Promise<void> {
  const earlier = { userId, action: "login.succeeded" };
  if ((await ctx.db.auditEvent.count({ where: earlier })) === 0) return;
  if ((await ctx.db.auditEvent.count({ where: { ...earlier, address: origin.address } })) > 0) return;
  ctx.events.emit("security-notice", {
    userId,
    kind: "new_address",
    message: `Your account was logged in to from an address not seen before: ${origin.address}. If this was not you, change your password.`,
  });
}
