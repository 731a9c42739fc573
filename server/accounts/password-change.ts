import { PASSWORD_MAX_BYTES, failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { clearLoginFailures, loginAttemptBuckets } from "../login-failures.ts";
import { takeAttempt } from "../rate-limits.ts";
import { revokeUserSessions, type ActiveSession } from "../sessions/sessions.ts";
import { openAdmission } from "../passwords/fair-queue.ts";
import { markSessionProven } from "../auth/fresh-proof.ts";

/** Needs the current password; every other session of the account ends. */
export async function changePassword(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"password:change">,
  origin: Origin,
): Promise<Ack<EventReply<"password:change">>> {
  const attempt = loginAttemptBuckets(ctx, session.username, origin);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: session.userId } });
  const checkable = Buffer.byteLength(input.currentPassword, "utf8") <= PASSWORD_MAX_BYTES;
  const admission = openAdmission(origin.address, session.username);
  if (!checkable || !(await ctx.passwords.verify(input.currentPassword, user.passwordHash, admission))) {
    await recordAudit(ctx.db, { userId: user.id, action: "password.change_failed", origin });
    return failure("invalid_credentials", "The current password is wrong.");
  }
  await clearLoginFailures(ctx, session.username, origin);
  // The right current password is as good a proof as session:reauthenticate's.
  await markSessionProven(ctx, session.sessionId);
  if (input.newPassword === input.currentPassword) {
    return failure("weak_password", "The new password is the same as the current one.", {
      details: [{ path: "newPassword", message: "Same as the current password" }],
    });
  }
  const verdict = await ctx.passwords.judge(input.newPassword, [user.username, user.email], admission);
  if (!verdict.ok) {
    return failure("weak_password", `Choose another password: ${verdict.reasons.join(" ")}`, {
      details: verdict.reasons.map((message) => ({ path: "newPassword", message })),
    });
  }

  const passwordHash = await ctx.passwords.hash(input.newPassword, admission);
  await ctx.db.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: ctx.clock.now() } });
  const sessionsEnded = await revokeUserSessions(ctx, user.id, "password_changed", session.sessionId);
  await recordAudit(ctx.db, { userId: user.id, action: "password.changed", origin, details: { sessionsEnded } });
  ctx.events.emit("security-notice", { userId: user.id, kind: "password_changed", message: "Your password was changed; your other sessions were ended." });
  return success({ changed: true, sessionsEnded });
}
