import { devicesInWords, failure, success, type Ack, type EventPayload, type EventReply, type Failure } from "#protocol";
import { kindsOf } from "../devices/device-codes.ts";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { verifyUserOtp } from "../devices/device-otp.ts";
import { passwordResetMail } from "../mail/messages.ts";
import { codeAttemptBuckets, consumePoint, giveBackAttempt, takeAttempt } from "../rate-limits.ts";
import { useRecoveryCode } from "../recovery/recovery-codes.ts";
import { revokeUserSessions } from "../sessions/sessions.ts";
import { NO_ACCOUNT_ID, checkEmailCode, claimEmailCode, invalidEmailCode, sendEmailCode } from "./email-codes.ts";
import { openAdmission } from "../passwords/fair-queue.ts";
import { addressKey } from "../addresses.ts";

/**
 * `password:forgot`, by username or email. Only the rate limits run on the request path (3 a
 * minute per name as typed and per address, whether or not the account exists); looking the
 * account up and sending the code happen after the answer, so that the answer and its timing
 * are the same for every name.
 */
export async function requestPasswordReset(ctx: HubContext, input: EventPayload<"password:forgot">, origin: Origin): Promise<Ack<EventReply<"password:forgot">>> {
  const limited = await takeAttempt([
    [ctx.limits.resetMailsPerAddress, addressKey(origin.address)],
    [ctx.limits.resetMailsPerAccount, `login:${input.login}`],
  ]);
  if (limited) return limited;
  ctx.later(0, () => sendPasswordResetCode(ctx, input.login, origin));
  return success({ sent: true as const });
}

async function sendPasswordResetCode(ctx: HubContext, login: string, origin: Origin): Promise<void> {
  // Usernames cannot hold "@" (USERNAME_PATTERN), so the name says which column to search.
  const where = login.includes("@") ? { email: login } : { username: login };
  const user = await ctx.db.user.findUnique({ where, select: { id: true, username: true, email: true } });
  if (!user) return;
  // The same account asked for by username and by email still gets at most 3 emails a minute.
  if (await consumePoint(ctx.limits.resetMailsPerAccount, `user:${user.id}`)) {
    ctx.log.info({ userId: user.id }, "password reset email not sent: too many requests for this account");
    return;
  }
  const outcome = await sendEmailCode(ctx, user, "password_reset", (code, ttlSeconds) => passwordResetMail(user.email, user.username, code, ttlSeconds));
  if (!outcome.delivered) {
    ctx.log.error({ userId: user.id }, "password reset email could not be sent");
    return;
  }
  await recordAudit(ctx.db, { userId: user.id, action: "password.reset_requested", origin });
}

/**
 * `password:reset`: the emailed code (10 minutes, 5 tries, single use) and, when the account has
 * a paired device, its current code or a recovery code. The new password meets the policy; every
 * session ends and the person's clients and devices are told.
 */
export async function resetPassword(ctx: HubContext, input: EventPayload<"password:reset">, origin: Origin): Promise<Ack<EventReply<"password:reset">>> {
  const attempt = codeAttemptBuckets(ctx.limits, "email-code", input.username, origin.address);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  // An unknown name does the same work as a known one (a code lookup, a count, a hash, an audit
  // row) and gets the same answer, so neither tells a stranger which accounts exist.
  const user = await ctx.db.user.findUnique({ where: { username: input.username } });
  const check = await checkEmailCode(ctx, user?.id ?? NO_ACCOUNT_ID, "password_reset", input.code);
  if (!user || !check.ok) {
    const reason = user ? (check.ok ? "wrong" : check.reason) : "unknown_account";
    await recordAudit(ctx.db, { userId: user?.id ?? null, action: "password.reset_failed", origin, details: { reason, ...(user ? {} : { username: input.username }) } });
    return invalidEmailCode();
  }

  // Past the emailed code, answers may speak of the account: only its owner has that code.
  const deviceKinds = kindsOf(await ctx.db.device.findMany({ where: { userId: user.id }, select: { kind: true } }));
  if (deviceKinds.length > 0 && !input.otp && !input.recoveryCode) {
    const message = `This account has a second factor: give the current code from ${devicesInWords(deviceKinds).noun} (otp), or one of your recovery codes, with the reset.`;
    return failure("otp_required", message, { deviceKinds });
  }
  const hasDevice = deviceKinds.length > 0;
  const admission = openAdmission(origin.address, user.username);
  const verdict = await ctx.passwords.judge(input.newPassword, [user.username, user.email], admission);
  if (!verdict.ok) {
    return failure("weak_password", `Choose another password: ${verdict.reasons.join(" ")}`, {
      details: verdict.reasons.map((message) => ({ path: "newPassword", message })),
    });
  }
  if (hasDevice) {
    const proof = await checkSecondFactor(ctx, user, input, origin);
    if (proof) {
      await recordAudit(ctx.db, { userId: user.id, action: "password.reset_failed", origin, details: { reason: proof.error.code } });
      return proof;
    }
  }
  if (!(await claimEmailCode(ctx, check.code))) return invalidEmailCode();
  await giveBackAttempt(attempt);

  const passwordHash = await ctx.passwords.hash(input.newPassword, admission);
  // The code came to the account's address, which is therefore confirmed too.
  const now = ctx.clock.now();
  await ctx.db.user.update({ where: { id: user.id }, data: { passwordHash, passwordChangedAt: now, emailVerifiedAt: user.emailVerifiedAt ?? now } });
  await ctx.db.emailCode.deleteMany({ where: { userId: user.id, purpose: "password_reset" } });
  // The notice first: the clients whose sessions are about to end still hear why.
  ctx.events.emit("security-notice", { userId: user.id, kind: "password_reset", message: "Your password was reset with a code sent by email; every session was ended." });
  const sessionsEnded = await revokeUserSessions(ctx, user.id, "password_reset");
  await recordAudit(ctx.db, { userId: user.id, action: "password.reset", origin, details: { sessionsEnded, secondFactor: hasDevice ? (input.otp ? "otp" : "recovery_code") : "none" } });
  return success({ reset: true as const });
}

/** The device's current code if given, else a recovery code; null when it passes. */
async function checkSecondFactor(
  ctx: HubContext,
  user: { id: string; username: string },
  input: EventPayload<"password:reset">,
  origin: Origin,
): Promise<Failure | null> {
  const verdict = input.otp ? await verifyUserOtp(ctx, user.id, input.otp, origin) : await useRecoveryCode(ctx, user, input.recoveryCode!, "password_reset", origin);
  return verdict.ok ? null : verdict;
}
