import { RateLimiterRes } from "rate-limiter-flexible";
import { LOGIN_CHALLENGE_TTL_SECONDS, failure, success, type Ack, type EventPayload, type EventReply, type Failure } from "#protocol";
import { refuseLockedLogin } from "../admin/account-locks.ts";
import { addressKey } from "../addresses.ts";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { LoginChallenge } from "../db/generated/sqlite/client.ts";
import { readDeviceKind } from "../devices/device-codes.ts";
import { otpLockFields, whenAllLocked } from "../devices/device-lock.ts";
import { recordFailure } from "../rate-limits.ts";
import { describePendingChallenge, pickNumberMatch, scheduleChallengeExpiry } from "./login-challenges.ts";
import { identifySigner, type Signer } from "./new-client-key.ts";
import { pushesHeldUntil } from "./push-hold.ts";

type Reply = EventReply<"auth:prove-key">;
type ProvenSigner = Exclude<Signer, { kind: "none" }>;

const BAD_SIGNATURE = failure("invalid_signature", "The key signature does not match a key of this account; log in again.");

/**
 * auth:prove-key: the login's key signature, checked before anything reaches the person's
 * devices, so that a password alone can never make the authenticator ring. A key the account
 * holds, or a new machine's key sent along (shown to the devices as new), then gets the push,
 * within the account's push limit and unless pushes are held after a "this wasn't me". A wrong
 * signature pushes nothing and uses the challenge up.
 */
export async function proveLoginKey(ctx: HubContext, input: EventPayload<"auth:prove-key">, origin: Origin): Promise<Ack<Reply>> {
  const challenge = await ctx.db.loginChallenge.findUnique({ where: { id: input.challengeId } });
  if (!challenge) return failure("challenge_not_found", "No such login challenge; log in again.");
  const { user, keys, devices } = await readAccount(ctx, challenge.userId);
  if (!user) return failure("challenge_not_found", "No such login challenge; log in again.");
  if (user.lockedAt !== null) return refuseLockedLogin(ctx, challenge.userId, origin);
  if (challenge.deniedAt) return failure("challenge_denied", "This login was denied on the paired device; log in again.");
  if (challenge.usedAt) return failure("challenge_used", "This login challenge was already used; log in again.");
  if (challenge.expiresAt.getTime() <= ctx.clock.now().getTime()) {
    return failure("challenge_expired", `The login challenge expired after ${LOGIN_CHALLENGE_TTL_SECONDS} s; log in again.`);
  }
  const signer = identifySigner(keys, challenge, input);
  if (signer.kind === "none") return refuseSignature(ctx, challenge, signer.failure, origin);
  // The devices were shown one machine: another key cannot take its place.
  if (challenge.keyFingerprint !== null && challenge.keyFingerprint !== signer.key.fingerprint) return refuseSignature(ctx, challenge, BAD_SIGNATURE, origin);
  return pushToDevices(ctx, challenge, user, devices, signer, origin);
}

type Account = Awaited<ReturnType<typeof readAccount>>;

/** What the push needs of the account, read at once (on PostgreSQL, over several pooled connections). */
async function readAccount(ctx: HubContext, userId: string) {
  const [user, keys, devices] = await Promise.all([
    ctx.db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, lockedAt: true, pushesHeldUntil: true } }),
    ctx.db.clientKey.findMany({ where: { userId } }),
    ctx.db.device.findMany({ where: { userId }, select: { kind: true, failedAttempts: true, lockedUntil: true } }),
  ]);
  return { user, keys, devices };
}

async function pushToDevices(
  ctx: HubContext,
  challenge: LoginChallenge,
  user: NonNullable<Account["user"]>,
  devices: Account["devices"],
  signer: ProvenSigner,
  origin: Origin,
): Promise<Ack<Reply>> {
  const now = ctx.clock.now();
  const newKey = signer.kind === "new";
  const otpLock = whenAllLocked(devices, now);
  // Only a paired PairGate authenticator can be asked; a standard app only shows codes.
  const devicesAsked = otpLock ? 0 : devices.filter((device) => readDeviceKind(device.kind) === "pairgate").length;
  // Asked again (a retry): the same number, and the devices are not rung twice.
  if (challenge.numberMatch !== null) return success({ numberMatch: challenge.numberMatch, devicesAsked, newKey: challenge.newKey });

  const proven = { keyFingerprint: signer.key.fingerprint, newKey };
  // No device, or none that could answer (locked): nothing to push; the key is remembered all the same.
  if (devicesAsked === 0) {
    await ctx.db.loginChallenge.update({ where: { id: challenge.id }, data: proven });
    return success({ devicesAsked: 0, newKey, ...otpLockFields(otpLock) });
  }
  const limited = await pushLimit(ctx, user, signer, now);
  if (limited) {
    await ctx.db.loginChallenge.update({ where: { id: challenge.id }, data: proven });
    await recordAudit(ctx.db, { userId: user.id, action: "login.push_limited", origin, details: { challengeId: challenge.id, reason: limited.reason, newKey } });
    return success({ devicesAsked: 0, newKey, pushLimited: limited });
  }

  const numberMatch = pickNumberMatch();
  // The claim and its audit are one commit (a commit is a disk flush on SQLite), and the devices
  // are asked only once it holds.
  const claimed = await ctx.db.$transaction(async (tx) => {
    const { count } = await tx.loginChallenge.updateMany({
      where: { id: challenge.id, numberMatch: null, usedAt: null, deniedAt: null },
      data: { ...proven, numberMatch },
    });
    if (count === 0) return false;
    await recordAudit(tx, { userId: user.id, action: "login.pushed", origin, details: { challengeId: challenge.id, keyFingerprint: signer.key.fingerprint, newKey, devices: devicesAsked } });
    return true;
  });
  if (!claimed) return failure("challenge_used", "This login challenge was already used; log in again.");
  ctx.events.emit("challenge-opened", { userId: user.id, challenge: describePendingChallenge({ ...challenge, newKey }, user.username) });
  scheduleChallengeExpiry(ctx, user.id, challenge.id, challenge.expiresAt);
  return success({ numberMatch, devicesAsked, newKey });
}

type PushLimited = NonNullable<Reply["pushLimited"]>;

/**
 * Why this login may not be pushed, or null. Each key the account holds has its own budget, and
 * new machines share one: someone who knows the password and signs with keys of their own uses
 * up only the new machines' budget, never the owner's.
 */
async function pushLimit(ctx: HubContext, user: { id: string; pushesHeldUntil: Date | null }, signer: ProvenSigner, now: Date): Promise<PushLimited | null> {
  const heldUntil = pushesHeldUntil(user, now);
  if (heldUntil) return { reason: "held_not_me", retryAfterSeconds: Math.ceil((heldUntil.getTime() - now.getTime()) / 1000) };
  const bucketKey = signer.kind === "known" ? `${user.id}|key:${signer.key.id}` : `${user.id}|new-machines`;
  try {
    await ctx.limits.loginPushesPerAccount.consume(bucketKey);
    return null;
  } catch (rejection) {
    if (!(rejection instanceof RateLimiterRes)) throw rejection;
    return { reason: "too_many", retryAfterSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
  }
}

/** A signature that does not hold: nothing is pushed, the challenge is used up, and it counts for the address. */
async function refuseSignature(ctx: HubContext, challenge: LoginChallenge, refusal: Failure, origin: Origin): Promise<Failure> {
  const { count } = await ctx.db.loginChallenge.updateMany({ where: { id: challenge.id, usedAt: null }, data: { usedAt: ctx.clock.now() } });
  await recordFailure(ctx.limits.loginFailuresPerAddress, addressKey(origin.address));
  await recordAudit(ctx.db, { userId: challenge.userId, action: "login.signature_failed", origin, details: { challengeId: challenge.id, step: "prove-key" } });
  if (count === 1 && challenge.numberMatch !== null) ctx.events.emit("challenge-closed", { userId: challenge.userId, challengeId: challenge.id, outcome: "failed" });
  return refusal;
}
