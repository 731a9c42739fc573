import { randomBytes, randomUUID } from "node:crypto";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import {
  LOGIN_CHALLENGE_TTL_SECONDS,
  LOGIN_NONCE_BYTES,
  PASSWORD_MAX_BYTES,
  devicesInWords,
  failure,
  success,
  type Ack,
  type EventPayload,
  type EventReply,
} from "#protocol";
import { isAccountLocked, refuseLockedLogin } from "../admin/account-locks.ts";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { LoginChallenge } from "../db/generated/sqlite/client.ts";
import { clearLoginFailures, loginAttemptBuckets } from "../login-failures.ts";
import { giveBackAttempt, recordFailure, takeAttempt } from "../rate-limits.ts";
import { noticeNewAddress } from "./login-notices.ts";
import { acceptKeyProof } from "./key-proof.ts";
import { addClientKey, askForKeyProof, identifySigner, type Signer } from "./new-client-key.ts";
import { pickSecondProof, type SecondProof, verifySecondProof } from "./second-proof.ts";
import { isTypedCode, tryTypedCode } from "./code-tries.ts";
import { createSession, type ActiveSession } from "../sessions/sessions.ts";
import { knownKeyAdmission, openAdmission, type Admission } from "../passwords/fair-queue.ts";
import { PasswordPoolBusyError } from "../passwords/password-pool.ts";
import { addressKey } from "../addresses.ts";
import { unreachableDependencyOf } from "../dependencies/unreachable-errors.ts";
import { otpLockFields, whenAllLocked } from "../devices/device-lock.ts";
import { unlockUserDevices } from "../devices/device-otp.ts";
import { kindsOf } from "../devices/device-codes.ts";

const INVALID_CREDENTIALS = "The username or password is wrong.";

/** Step 1: the password. Opens a challenge that only the holder of the account's key can answer. */
export async function startLogin(
  ctx: HubContext,
  input: EventPayload<"auth:login">,
  origin: Origin,
): Promise<Ack<EventReply<"auth:login">>> {
  const knownKey = input.keyProof ? await acceptKeyProof(ctx, input.username, input.keyProof) : null;
  const attempt: [RateLimiterAbstract, string][] = knownKey ? [[ctx.limits.loginFailuresPerKey, knownKey.id]] : loginAttemptBuckets(ctx, input.username, origin);
  const limited = await takeAttempt(attempt);
  if (limited) return limited;

  // A proven key waits in a lane strangers cannot fill; anyone else shares the open lane fairly.
  // A refusal for a full lane or share tried nothing, so it counts nothing: a person whose client
  // retries while strangers fill the queue must not use up their own failure limit. Nor does a
  // database that cannot be read (the account is read before any password is compared): a client
  // retrying through an outage would otherwise be locked out for 15 minutes once it is over.
  const admission = knownKey ? knownKeyAdmission(origin.address, knownKey.id) : openAdmission(origin.address, input.username);
  const checked = await checkPassword(ctx, input, admission).catch(async (error: unknown) => {
    if (error instanceof PasswordPoolBusyError || unreachableDependencyOf(error) === "database") await giveBackAttempt(attempt);
    throw error;
  });
  const { user, passwordMatches } = checked;
  if (!user || !passwordMatches) {
    // Still counted for the account, so that strangers meet its limit sooner; never checked for this key.
    if (knownKey) await recordFailure(ctx.limits.loginFailuresPerAccount, input.username);
    const details: Record<string, string> = knownKey ? { username: input.username, keyFingerprint: knownKey.fingerprint } : { username: input.username };
    await recordAudit(ctx.db, { userId: user?.id ?? null, action: "login.password_failed", origin, details });
    return failure("invalid_credentials", INVALID_CREDENTIALS);
  }
  // The owner with a known key needs no clean slate elsewhere; clearing the account's count
  // would only hand strangers a fresh hundred guesses.
  if (knownKey) await ctx.limits.loginFailuresPerKey.delete(knownKey.id);
  else await clearLoginFailures(ctx, input.username, origin);

  // Admin lock: told only after the right password, so it says nothing to a stranger.
  if (user.lockedAt) return refuseLockedLogin(ctx, user.id, origin);
  // Likewise the unconfirmed address: only someone who knows the password learns of it.
  if (ctx.settings.requireEmailVerification && !user.emailVerifiedAt) {
    await recordAudit(ctx.db, { userId: user.id, action: "login.email_not_verified", origin });
    return failure("email_not_verified", "Confirm your email address first, with the code sent to it (account:verify-email; account:resend-verification sends a new one).");
  }

  const devices = await ctx.db.device.findMany({ where: { userId: user.id }, select: { kind: true, failedAttempts: true, lockedUntil: true } });
  const hasDevice = devices.length > 0;
  const deviceKinds = kindsOf(devices);
  const otpLock = whenAllLocked(devices, ctx.clock.now());
  // Nothing goes to the devices yet: a password alone must not be able to ring the person's
  // authenticator. auth:prove-key pushes once the key signature holds (login-push.ts).
  const challenge = await ctx.db.loginChallenge.create({
    data: {
      id: randomUUID(),
      userId: user.id,
      nonce: randomBytes(LOGIN_NONCE_BYTES).toString("base64url"),
      address: origin.address,
      clientName: input.clientName ?? null,
      expiresAt: new Date(ctx.clock.now().getTime() + LOGIN_CHALLENGE_TTL_SECONDS * 1000),
    },
  });
  return success({
    challengeId: challenge.id,
    nonce: challenge.nonce,
    expiresAt: challenge.expiresAt.toISOString(),
    factors: hasDevice ? ["signature", "otp"] : ["signature"],
    deviceKinds,
    ...otpLockFields(otpLock),
  });
}

/** Reads the account and checks the password, or a dummy hash for an unknown name. */
async function checkPassword(ctx: HubContext, input: EventPayload<"auth:login">, admission: Admission) {
  // A full lane refuses here, before the database is read: a flood's refusals must stay cheap.
  ctx.passwords.assertRoomFor(admission);
  const user = await ctx.db.user.findUnique({ where: { username: input.username } });
  // Unknown users cost one bcrypt check too, so timing does not tell which usernames exist.
  // bcrypt would read only the first 72 bytes of a longer password: such a password never matches.
  const checkable = user && Buffer.byteLength(input.password, "utf8") <= PASSWORD_MAX_BYTES;
  const passwordMatches = checkable ? await ctx.passwords.verify(input.password, user.passwordHash, admission) : await ctx.passwords.verifyDummy(input.password, admission);
  return { user, passwordMatches };
}

/**
 * Step 2: the key signature over the challenge, and with a paired device either its code, its
 * prior approval or a recovery code. A key new to the account also needs a second proof (see
 * second-proof.ts) and is then added. Any attempt past the second-factor gate uses the challenge up.
 */
export async function completeLogin(
  ctx: HubContext,
  input: EventPayload<"auth:complete">,
  origin: Origin,
): Promise<{ reply: Ack<EventReply<"auth:complete">>; session?: ActiveSession }> {
  const challenge = await ctx.db.loginChallenge.findUnique({ where: { id: input.challengeId } });
  if (!challenge) return { reply: failure("challenge_not_found", "No such login challenge; log in again.") };
  // Admin lock: a challenge opened before the lock cannot be completed after it.
  if (await isAccountLocked(ctx, challenge.userId)) return { reply: await refuseLockedLogin(ctx, challenge.userId, origin) };
  if (challenge.deniedAt) return { reply: failure("challenge_denied", "This login was denied on the paired device.") };
  // Checked again by the claim below; here it keeps a spent challenge from asking for more emails.
  if (challenge.usedAt) return { reply: failure("challenge_used", "This login challenge was already used; log in again.") };
  if (challenge.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    return { reply: failure("challenge_expired", `The login challenge expired after ${LOGIN_CHALLENGE_TTL_SECONDS} s; log in again.`) };
  }
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: challenge.userId }, select: { id: true, username: true, email: true } });
  const keys = await ctx.db.clientKey.findMany({ where: { userId: user.id } });
  const signer = identifySigner(keys, challenge, input);
  const deviceKinds = signer.kind === "none" ? [] : kindsOf(await ctx.db.device.findMany({ where: { userId: user.id }, select: { kind: true } }));
  const hasDevice = deviceKinds.length > 0;
  const proof = signer.kind === "none" ? null : pickSecondProof(signer, challenge, input, hasDevice);
  // Asking too early (before the device approved, without a code), or a new machine asking what
  // proof it needs, must not spend the challenge.
  if (signer.kind === "known" && !proof) {
    const { noun, approves } = devicesInWords(deviceKinds);
    const message = `Give the current code from ${noun} (or a recovery code)${approves ? ", or approve the login on the device first" : ""}.`;
    return { reply: failure("otp_required", message, { deviceKinds }) };
  }
  if (signer.kind === "new" && !proof) return { reply: await askForKeyProof(ctx, user, signer.key, deviceKinds, origin) };

  // A typed code is checked before the challenge is spent, so that a typo can be typed again.
  let proofChecked = false;
  if (signer.kind !== "none" && isTypedCode(proof)) {
    const tried = await tryTypedCode(ctx, challenge, user, signer, proof, origin);
    if (!tried.ok && !tried.ended) return { reply: tried.reply };
    if (!tried.ok) {
      await endChallenge(ctx, challenge, user.id, "failed");
      return { reply: tried.reply };
    }
    proofChecked = true;
  }

  // A denial landing between the read above and this claim must still win.
  const claimed = await ctx.db.loginChallenge.updateMany({ where: { id: challenge.id, usedAt: null, deniedAt: null }, data: { usedAt: ctx.clock.now() } });
  if (claimed.count === 0) return { reply: failure("challenge_used", "This login challenge was already used; log in again.") };
  const outcome = await finishClaimedLogin(ctx, { challenge, user, signer, proof, input, origin, proofChecked });
  // The devices still show the request: whatever happened, it is over now.
  if (challenge.numberMatch !== null) {
    ctx.events.emit("challenge-closed", { userId: user.id, challengeId: challenge.id, outcome: outcome.session ? "completed" : "failed" });
  }
  return outcome;
}

/** Uses the challenge up after its last try, and takes it off the devices' screens. */
async function endChallenge(ctx: HubContext, challenge: LoginChallenge, userId: string, outcome: "failed"): Promise<void> {
  const { count } = await ctx.db.loginChallenge.updateMany({ where: { id: challenge.id, usedAt: null }, data: { usedAt: ctx.clock.now() } });
  if (count === 1 && challenge.numberMatch !== null) ctx.events.emit("challenge-closed", { userId, challengeId: challenge.id, outcome });
}

interface ClaimedLogin {
  /** The second proof was already checked (a typed code, within the challenge's tries). */
  proofChecked: boolean;
  challenge: LoginChallenge;
  user: { id: string; username: string; email: string };
  signer: Signer;
  proof: SecondProof | null;
  input: EventPayload<"auth:complete">;
  origin: Origin;
}

/** The part of completeLogin after the challenge is used up: every answer from here ends it. */
async function finishClaimedLogin(
  ctx: HubContext,
  { challenge, user, signer, proof, input, origin, proofChecked }: ClaimedLogin,
): Promise<{ reply: Ack<EventReply<"auth:complete">>; session?: ActiveSession }> {
  if (challenge.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    return { reply: failure("challenge_expired", `The login challenge expired after ${LOGIN_CHALLENGE_TTL_SECONDS} s; log in again.`) };
  }

  if (signer.kind === "none") {
    await recordFailure(ctx.limits.loginFailuresPerAddress, addressKey(origin.address));
    await recordAudit(ctx.db, { userId: user.id, action: "login.signature_failed", origin });
    return { reply: signer.failure };
  }
  const refused = proofChecked ? null : await verifySecondProof(ctx, user, signer, proof!, origin);
  if (refused) return { reply: refused };
  const key = signer.kind === "known" ? signer.key : await addClientKey(ctx, user.id, signer.key, proof!.kind, origin);

  const { token, session } = await createSession(ctx, {
    userId: user.id,
    clientKeyId: key.id,
    clientName: input.clientName ?? null,
    origin,
  });
  await ctx.db.clientKey.update({ where: { id: key.id }, data: { lastUsedAt: ctx.clock.now() } });
  await noticeNewAddress(ctx, user.id, origin);
  // NIST SP 800-63B 5.2.2: a recovery code is the owner's proof, so it also lifts the devices' locks.
  if (proof!.kind === "recovery_code") await unlockUserDevices(ctx, user.id, "recovery_code", origin);
  await recordAudit(ctx.db, { userId: user.id, action: "login.succeeded", origin, details: { sessionId: session.sessionId, keyFingerprint: key.fingerprint, secondProof: proof!.kind } });
  return { reply: success({ token, expiresAt: session.expiresAt.toISOString(), user }), session };
}
