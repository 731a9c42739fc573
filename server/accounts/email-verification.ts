import { success, type Ack, type EventPayload, type EventReply } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { MailOutcome } from "../mail/mailer.ts";
import { verificationMail } from "../mail/messages.ts";
import { codeAttemptBuckets, giveBackAttempt, takeAttempt } from "../rate-limits.ts";
import { NO_ACCOUNT_ID, checkEmailCode, claimEmailCode, invalidEmailCode, sendEmailCode, type CodeRecipient } from "./email-codes.ts";
import { addressKey } from "../addresses.ts";

/** Emails a fresh 6-digit code (24 hours) that confirms the account's address. */
export function sendVerificationCode(ctx: HubContext, user: CodeRecipient): Promise<MailOutcome> {
  return sendEmailCode(ctx, user, "email_verification", (code, ttlSeconds) => verificationMail(user.email, user.username, code, ttlSeconds));
}

/**
 * `account:verify-email`. Wrong codes count against the login limits as well as the code's own
 * 5 tries; an unknown account, one already verified and a wrong code get one answer.
 */
export async function verifyEmail(ctx: HubContext, input: EventPayload<"account:verify-email">, origin: Origin): Promise<Ack<EventReply<"account:verify-email">>> {
  const attempt = codeAttemptBuckets(ctx.limits, "email-code", input.username, origin.address);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  // An unknown name does the same work as a known one (a code lookup, a count, a hash, an audit
  // row) and gets the same answer, so neither tells a stranger which accounts exist.
  const user = await ctx.db.user.findUnique({ where: { username: input.username }, select: { id: true } });
  const check = await checkEmailCode(ctx, user?.id ?? NO_ACCOUNT_ID, "email_verification", input.code);
  if (!user || !check.ok) {
    const reason = user ? (check.ok ? "wrong" : check.reason) : "unknown_account";
    await recordAudit(ctx.db, { userId: user?.id ?? null, action: "account.email_verification_failed", origin, details: { reason, ...(user ? {} : { username: input.username }) } });
    return invalidEmailCode();
  }
  if (!(await claimEmailCode(ctx, check.code))) return invalidEmailCode();

  await giveBackAttempt(attempt);
  await ctx.db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: ctx.clock.now() } });
  await recordAudit(ctx.db, { userId: user.id, action: "account.email_verified", origin });
  return success({ verified: true as const });
}

/**
 * `account:resend-verification`: 3 a minute per username and per address, counted whether or not
 * the account exists. The answer is given at once and the email is sent afterwards, so neither
 * the answer nor its timing tells whether there was anything to send.
 */
export async function resendVerification(
  ctx: HubContext,
  input: EventPayload<"account:resend-verification">,
  origin: Origin,
): Promise<Ack<EventReply<"account:resend-verification">>> {
  const limited = await takeAttempt([
    [ctx.limits.verificationMailsPerAddress, addressKey(origin.address)],
    [ctx.limits.verificationMailsPerAccount, input.username],
  ]);
  if (limited) return limited;
  ctx.later(0, () => resendIfUnverified(ctx, input.username, origin));
  return success({ sent: true as const });
}

async function resendIfUnverified(ctx: HubContext, username: string, origin: Origin): Promise<void> {
  const user = await ctx.db.user.findUnique({ where: { username }, select: { id: true, username: true, email: true, emailVerifiedAt: true } });
  if (!user || user.emailVerifiedAt) return;
  const outcome = await sendVerificationCode(ctx, user);
  if (!outcome.delivered) {
    ctx.log.error({ userId: user.id }, "verification email could not be resent");
    return;
  }
  await recordAudit(ctx.db, { userId: user.id, action: "account.verification_sent", origin });
}
