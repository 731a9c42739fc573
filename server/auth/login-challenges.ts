import { randomInt, timingSafeEqual } from "node:crypto";
import { failure, NUMBER_MATCH_MAX, NUMBER_MATCH_MIN, success, type DevicePushPayload } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { Database, Transaction } from "../db/client.ts";
import type { ActiveDevice } from "../devices/devices.ts";
import { readDeviceForOtp, verifyDeviceOtp } from "../devices/device-otp.ts";
import { deviceLockState } from "../devices/device-lock.ts";
import { reportNotMe } from "./push-hold.ts";

type PendingChallenge = DevicePushPayload<"challenge:new">;

/** The number the client shows and the person types on the device; the device is never told it. */
export function pickNumberMatch(): string {
  return String(randomInt(NUMBER_MATCH_MIN, NUMBER_MATCH_MAX + 1));
}

/** Whether the typed number is the one the client shows (both are two ASCII digits). */
function sameNumber(typed: string, shown: string | null): boolean {
  if (shown === null || typed.length !== shown.length) return false;
  return timingSafeEqual(Buffer.from(typed), Buffer.from(shown));
}

type ChallengeRow = {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  address: string | null;
  clientName: string | null;
  newKey: boolean;
};

/** A login as the devices see it: who, from which machine and address, and whether that machine is new. */
export function describePendingChallenge(row: ChallengeRow, username: string): PendingChallenge {
  return {
    challengeId: row.id,
    username,
    client: { name: row.clientName, address: row.address },
    newKey: row.newKey,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
  };
}

const undecided = (now: Date) => ({ usedAt: null, approvedAt: null, deniedAt: null, expiresAt: { gt: now } });

export async function listPendingChallenges(ctx: HubContext, device: ActiveDevice): Promise<PendingChallenge[]> {
  // A device whose code checks are locked can approve nothing: it is shown nothing to approve.
  const now = ctx.clock.now();
  const lock = await ctx.db.device.findUnique({ where: { id: device.deviceId }, select: { failedAttempts: true, lockedUntil: true } });
  if (!lock || deviceLockState(lock, now).locked) return [];
  const rows = await ctx.db.loginChallenge.findMany({
    where: { userId: device.userId, numberMatch: { not: null }, ...undecided(now) },
    orderBy: { createdAt: "asc" },
  });
  // Every authenticator asks after every connect, and mostly nothing waits: the name is read only to be shown.
  if (rows.length === 0) return [];
  const { username } = await ctx.db.user.findUniqueOrThrow({ where: { id: device.userId }, select: { username: true } });
  return rows.map((challenge) => describePendingChallenge(challenge, username));
}

/**
 * This process's expiry timers, by challenge, for each hub (tests run several in one process). Most
 * logins are decided within seconds: their timers go then, rather than waiting out the challenge's
 * lifetime to read a row that is long decided (a read per login, and a timer each held meanwhile).
 */
const expiryTimers = new WeakMap<HubContext, Map<string, () => void>>();

function expiryTimersOf(ctx: HubContext): Map<string, () => void> {
  let timers = expiryTimers.get(ctx);
  if (!timers) {
    const known = new Map<string, () => void>();
    const forget = ({ challengeId }: { challengeId: string }) => {
      known.get(challengeId)?.();
      known.delete(challengeId);
    };
    // Decided or closed here; one decided by another hub process is read, and passed over, at its expiry.
    ctx.events.on("challenge-decided", forget);
    ctx.events.on("challenge-closed", forget);
    expiryTimers.set(ctx, (timers = known));
  }
  return timers;
}

/** Tells the devices when a challenge nobody decided on runs out. */
export function scheduleChallengeExpiry(ctx: HubContext, userId: string, challengeId: string, expiresAt: Date): void {
  const timers = expiryTimersOf(ctx);
  timers.get(challengeId)?.();
  const cancel = ctx.later(Math.max(0, expiresAt.getTime() - ctx.clock.now().getTime()) + 50, async () => {
    timers.delete(challengeId);
    const row = await ctx.db.loginChallenge.findFirst({ where: { id: challengeId, usedAt: null, approvedAt: null, deniedAt: null } });
    if (row) ctx.events.emit("challenge-closed", { userId, challengeId, outcome: "expired" });
  });
  timers.set(challengeId, cancel);
}

/**
 * The client that started the login has gone (its socket closed): nobody can finish it, so it
 * is used up at once and leaves the devices' screens, rather than waiting there to be approved
 * for nobody until it expires.
 */
export async function abandonChallenge(ctx: HubContext, challengeId: string, origin: Origin): Promise<void> {
  const now = ctx.clock.now();
  const { count } = await ctx.db.loginChallenge.updateMany({
    where: { id: challengeId, usedAt: null, deniedAt: null, expiresAt: { gt: now } },
    data: { usedAt: now },
  });
  if (count === 0) return;
  const row = await ctx.db.loginChallenge.findUniqueOrThrow({ where: { id: challengeId }, select: { userId: true, numberMatch: true } });
  await recordAudit(ctx.db, { userId: row.userId, action: "login.abandoned", origin, details: { challengeId } });
  if (row.numberMatch !== null) ctx.events.emit("challenge-closed", { userId: row.userId, challengeId, outcome: "abandoned" });
}

async function findOpenChallenge(ctx: HubContext, device: ActiveDevice, challengeId: string) {
  const row = await ctx.db.loginChallenge.findFirst({ where: { id: challengeId, userId: device.userId, numberMatch: { not: null } } });
  if (!row) return failure("challenge_not_found", "No such login challenge for this account.");
  if (row.usedAt || row.approvedAt || row.deniedAt) return failure("challenge_used", "This login was already decided.");
  if (row.expiresAt.getTime() <= ctx.clock.now().getTime()) return failure("challenge_expired", "This login challenge has expired.");
  return { ok: true as const, row };
}

/** Marks the decision once: of two devices answering at the same time, the first one counts. */
export async function decide(db: Database | Transaction, challengeId: string, data: { approvedAt: Date; approvedByDeviceId: string } | { deniedAt: Date }) {
  const { count } = await db.loginChallenge.updateMany({ where: { id: challengeId, usedAt: null, approvedAt: null, deniedAt: null }, data });
  return count === 1;
}

export async function approveChallenge(
  ctx: HubContext,
  device: ActiveDevice,
  input: { challengeId: string; otp: string; numberMatch: string },
  origin: Origin,
) {
  // Both reads at once: on PostgreSQL they take two pooled connections instead of two turns.
  const [open, deviceRow] = await Promise.all([findOpenChallenge(ctx, device, input.challengeId), readDeviceForOtp(ctx, device.deviceId)]);
  if (!open.ok) return open;
  if (!sameNumber(input.numberMatch, open.row.numberMatch)) {
    if (await decide(ctx.db, input.challengeId, { deniedAt: ctx.clock.now() })) {
      await recordAudit(ctx.db, { userId: device.userId, action: "login.number_mismatch", origin, details: { challengeId: input.challengeId, deviceId: device.deviceId } });
      ctx.events.emit("challenge-decided", { userId: device.userId, challengeId: input.challengeId, outcome: "denied", reason: "wrong_number" });
    }
    return failure("challenge_denied", "That is not the number the logging-in screen shows; the login was denied.");
  }
  // The code's counter step, the decision and its audit are one commit (a commit is a disk flush
  // on SQLite), and the client is told only once it holds. A decision another device made first
  // still leaves the code spent.
  let decided = false;
  const approval = { approvedAt: ctx.clock.now(), approvedByDeviceId: device.deviceId };
  const verdict = await verifyDeviceOtp(ctx, deviceRow, input.otp, origin, async (tx) => {
    decided = await decide(tx, input.challengeId, approval);
    if (decided) await recordAudit(tx, { userId: device.userId, action: "login.approved", origin, details: { challengeId: input.challengeId, deviceId: device.deviceId } });
  });
  if (!verdict.ok) return verdict;
  if (!decided) return failure("challenge_used", "This login was already decided.");
  ctx.events.emit("challenge-decided", { userId: device.userId, challengeId: input.challengeId, outcome: "approved" });
  return success({ approved: true as const });
}

/** A plain refusal; "this wasn't me" also holds the account's pushes and tells its clients (push-hold.ts). */
export async function denyChallenge(ctx: HubContext, device: ActiveDevice, input: { challengeId: string; reason?: "not-me" }, origin: Origin) {
  const open = await findOpenChallenge(ctx, device, input.challengeId);
  if (!open.ok) return open;
  if (!(await decide(ctx.db, input.challengeId, { deniedAt: ctx.clock.now() }))) return failure("challenge_used", "This login was already decided.");
  if (input.reason === "not-me") {
    const pushesHeldUntil = await reportNotMe(ctx, device, open.row, origin);
    return success({ denied: true as const, pushesHeldUntil: pushesHeldUntil.toISOString() });
  }
  await recordAudit(ctx.db, { userId: device.userId, action: "login.denied", origin, details: { challengeId: input.challengeId, deviceId: device.deviceId } });
  ctx.events.emit("challenge-decided", { userId: device.userId, challengeId: input.challengeId, outcome: "denied", reason: "denied" });
  return success({ denied: true as const });
}
