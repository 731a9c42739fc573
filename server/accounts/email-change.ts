import { failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { emailChangedMail } from "../mail/messages.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { sendVerificationCode } from "./email-verification.ts";

/**
 * `account:change-email` (a sensitive event: the caller has a fresh proof). The code to confirm
 * the new address goes out first, so that an address that cannot be mailed changes nothing; the
 * address is then unconfirmed until `account:verify-email`, and the old address is told, since a
 * thief who changes it would otherwise receive the next password reset unnoticed.
 */
export async function changeEmail(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"account:change-email">,
  origin: Origin,
): Promise<Ack<EventReply<"account:change-email">>> {
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: session.userId }, select: { id: true, username: true, email: true } });
  if (input.email === user.email) return success({ user, emailVerificationRequired: false });
  if (await ctx.db.user.findUnique({ where: { email: input.email }, select: { id: true } })) return emailTaken();

  const renamed = { ...user, email: input.email };
  if (!(await sendVerificationCode(ctx, renamed)).delivered) {
    return failure("mail_unavailable", "The hub could not send the confirmation code to the new address, so the address was not changed; try again later.");
  }
  try {
    await ctx.db.user.update({ where: { id: user.id }, data: { email: input.email, emailVerifiedAt: null } });
  } catch (error) {
    // Another account took the address between the check and the write: the code just sent confirms nothing.
    await ctx.db.emailCode.deleteMany({ where: { userId: user.id, purpose: "email_verification" } });
    if ((error as { code?: unknown }).code === "P2002") return emailTaken();
    throw error;
  }
  await recordAudit(ctx.db, { userId: user.id, action: "account.email_changed", origin, details: { sessionId: session.sessionId } });
  ctx.events.emit("security-notice", { userId: user.id, kind: "email_changed", message: "Your account's email address was changed; confirm the new one with the code sent to it." });
  ctx.later(0, async () => {
    const outcome = await ctx.mailer.send(emailChangedMail(user.email, user.username, origin.address));
    if (!outcome.delivered) ctx.log.error({ userId: user.id }, "the notice of an email change could not be sent to the old address");
  });
  return success({ user: renamed, emailVerificationRequired: ctx.settings.requireEmailVerification });
}

function emailTaken() {
  return failure("email_taken", "Another account already uses that email address.");
}
