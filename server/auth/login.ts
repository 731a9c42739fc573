import { randomBytes, randomUUID } from "node:crypto";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import {
  LOGIN_CHALLENGE_TTL_SECONDS,
  LOGIN_NONCE_BYTES,
  PASSWORD_MAX_BYTES,
  failure,
  loginSignatureMessage,
  success,
  type Ack,
  type EventPayload,
  type EventReply,
} from "#protocol";
import { verifyLoginSignature } from "../accounts/public-keys.ts";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { verifyUserOtp } from "../devices/device-otp.ts";
import { giveBackAttempt, recordFailure, takeAttempt } from "../rate-limits.ts";
import { describePendingChallenge, pickNumberMatch, scheduleChallengeExpiry } from "./login-challenges.ts";
import { createSession, type ActiveSession } from "../sessions/sessions.ts";

const INVALID_CREDENTIALS = "The username or password is wrong.";

/** The buckets one password attempt takes a point from: per address, per account and address, per account. */
export function loginAttemptBuckets(ctx: HubContext, username: string, origin: Origin): [RateLimiterAbstract, string][] {
  return [
    [ctx.limits.loginFailuresPerAddress, origin.address],
    [ctx.limits.loginFailuresPerAccountAddress, `${username}|${origin.address}`],
    [ctx.limits.loginFailuresPerAccount, username],
  ];
}

/**
 * A right password: the account's failures were not consecutive after all, so its counts start
 * again (NIST SP 800-63B 5.2.2); the address only gets this attempt's point back, so that one
 * account an attacker owns cannot wipe the address's count of guesses at others.
 */
export async function clearLoginFailures(ctx: HubContext, username: string, origin: Origin): Promise<void> {
  await giveBackAttempt([[ctx.limits.loginFailuresPerAddress, origin.address]]);
  await ctx.limits.loginFailuresPerAccountAddress.delete(`${username}|${origin.address}`);
  await ctx.limits.loginFailuresPerAccount.delete(username);
}

/** Step 1: the password. Opens a challenge that only the holder of the account's key can answer. */
export async function startLogin(
  ctx: HubContext,
  input: EventPayload<"auth:login">,
  origin: Origin,
): Promise<Ack<EventReply<"auth:login">>> {
  const attempt = loginAttemptBuckets(ctx, input.username, origin);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  const user = await ctx.db.user.findUnique({ where: { username: input.username } });
  // Unknown users cost one bcrypt check too, so timing does not tell which usernames exist.
  // bcrypt would read only the first 72 bytes of a longer password: such a password never matches.
  const checkable = user && Buffer.byteLength(input.password, "utf8") <= PASSWORD_MAX_BYTES;
  const passwordMatches = checkable ? await ctx.passwords.verify(input.password, user.passwordHash) : await ctx.passwords.verifyDummy(input.password);
  if (!user || !passwordMatches) {
    await recordAudit(ctx.db, { userId: user?.id ?? null, action: "login.password_failed", origin, details: { username: input.username } });
    return failure("invalid_credentials", INVALID_CREDENTIALS);
  }
  await clearLoginFailures(ctx, input.username, origin);

  const hasDevice = (await ctx.db.device.count({ where: { userId: user.id } })) > 0;
  const match = hasDevice ? pickNumberMatch() : null;
  const challenge = await ctx.db.loginChallenge.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      nonce: randomBytes(LOGIN_NONCE_BYTES).toString("base64url"),
      address: origin.address,
      clientName: input.clientName ?? null,
      expiresAt: new Date(Date.now() + LOGIN_CHALLENGE_TTL_SECONDS * 1000),
      numberMatch: match?.numberMatch ?? null,
      numberMatchOptions: match?.options.join(",") ?? null,
    },
  });
  if (match) {
    ctx.events.emit("challenge-opened", { userId: user.id, challenge: describePendingChallenge(challenge, user.username) });
    scheduleChallengeExpiry(ctx, user.id, challenge.id, challenge.expiresAt);
  }
  return success({
    challengeId: challenge.id,
    nonce: challenge.nonce,
    expiresAt: challenge.expiresAt.toISOString(),
    factors: hasDevice ? ["signature", "otp"] : ["signature"],
    ...(match ? { numberMatch: match.numberMatch } : {}),
  });
}

/**
 * Step 2: the key signature over the challenge, and with a paired device either its code or
 * its prior approval. Any attempt past the second-factor gate uses the challenge up.
 */
export async function completeLogin(
  ctx: HubContext,
  input: EventPayload<"auth:complete">,
  origin: Origin,
): Promise<{ reply: Ack<EventReply<"auth:complete">>; session?: ActiveSession }> {
  const challenge = await ctx.db.loginChallenge.findUnique({ where: { id: input.challengeId } });
  if (!challenge) return { reply: failure("challenge_not_found", "No such login challenge; log in again.") };
  if (challenge.deniedAt) return { reply: failure("challenge_denied", "This login was denied on the paired device.") };
  if (challenge.expiresAt.getTime() <= Date.now()) {
    return { reply: failure("challenge_expired", `The login challenge expired after ${LOGIN_CHALLENGE_TTL_SECONDS} s; log in again.`) };
  }
  const needsOtp = challenge.numberMatch !== null && challenge.approvedAt === null;
  // Asking too early (before the device approved, without a code) must not spend the challenge.
  if (needsOtp && !input.otp) {
    return { reply: failure("otp_required", "Give the paired device's code, or approve the login on the device first.") };
  }

  // A denial landing between the read above and this claim must still win.
  const claimed = await ctx.db.loginChallenge.updateMany({ where: { id: challenge.id, usedAt: null, deniedAt: null }, data: { usedAt: new Date() } });
  if (claimed.count === 0) return { reply: failure("challenge_used", "This login challenge was already used; log in again.") };
  if (challenge.expiresAt.getTime() <= Date.now()) {
    return { reply: failure("challenge_expired", `The login challenge expired after ${LOGIN_CHALLENGE_TTL_SECONDS} s; log in again.`) };
  }

  const message = loginSignatureMessage(challenge.id, challenge.nonce);
  const keys = await ctx.db.clientKey.findMany({ where: { userId: challenge.userId } });
  const key = keys.find((candidate) => verifyLoginSignature(candidate.publicKeyPem, message, input.signature));
  if (!key) {
    await recordFailure(ctx.limits.loginFailuresPerAddress, origin.address);
    await recordAudit(ctx.db, { userId: challenge.userId, action: "login.signature_failed", origin });
    return { reply: failure("invalid_signature", "The key signature does not match a key of this account.") };
  }

  if (needsOtp) {
    const verdict = await verifyUserOtp(ctx, challenge.userId, input.otp!, origin);
    if (!verdict.ok) {
      await recordAudit(ctx.db, { userId: challenge.userId, action: "login.otp_failed", origin, details: { code: verdict.error.code } });
      return { reply: verdict };
    }
  }

  const { token, session } = await createSession(ctx.db, {
    userId: challenge.userId,
    clientKeyId: key.id,
    clientName: input.clientName ?? null,
    origin,
  });
  await ctx.db.clientKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  await recordAudit(ctx.db, { userId: challenge.userId, action: "login.succeeded", origin, details: { sessionId: session.sessionId, keyFingerprint: key.fingerprint } });
  if (challenge.numberMatch !== null) ctx.events.emit("challenge-closed", { userId: challenge.userId, challengeId: challenge.id, outcome: "completed" });
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: challenge.userId }, select: { id: true, username: true, email: true } });
  return { reply: success({ token, expiresAt: session.expiresAt.toISOString(), user }), session };
}
