import { FRESH_PROOF_TTL_SECONDS, PASSWORD_MAX_BYTES, failure, success, type Ack, type EventPayload, type EventReply, type Failure } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import { verifyUserOtp } from "../devices/device-otp.ts";
import { clearLoginFailures, loginAttemptBuckets } from "../login-failures.ts";
import { openAdmission } from "../passwords/fair-queue.ts";
import { takeAttempt } from "../rate-limits.ts";
import type { ActiveSession } from "../sessions/sessions.ts";

/**
 * Sudo mode. A session token is a bearer credential: whoever copies it is the person until it
 * ends. Actions that would let a thief stay after the token is gone (a new device, new recovery
 * codes, a changed email address, a removed key) also need the password or a device's code
 * proven on this session within FRESH_PROOF_TTL_SECONDS. The time is read from the database on
 * every check, not from the socket's cached session, so a proof given on one connection of the
 * session (a socket, the REST mirror) counts on every other.
 */

/**
 * The guard a sensitive handler calls first: null when the session's proof is fresh, else the
 * `reauthentication_required` failure to answer as is.
 * @example const stale = await requireFreshProof(ctx, caller); if (stale) return stale;
 */
export async function requireFreshProof(ctx: HubContext, caller: { session: ActiveSession }): Promise<Failure | null> {
  if (await freshUntil(ctx, caller.session.sessionId)) return null;
  return failure(
    "reauthentication_required",
    `This action needs a fresh proof: give your password or your device's code again (session:reauthenticate); it then works for ${FRESH_PROOF_TTL_SECONDS / 60} minutes.`,
  );
}

/** Until when the session's last proof counts; null when it is stale or there was none. */
export async function freshUntil(ctx: HubContext, sessionId: string): Promise<Date | null> {
  const row = await ctx.db.session.findUnique({ where: { id: sessionId }, select: { provenAt: true } });
  if (!row?.provenAt) return null;
  const until = new Date(row.provenAt.getTime() + FRESH_PROOF_TTL_SECONDS * 1000);
  return until.getTime() > ctx.clock.now().getTime() ? until : null;
}

/** Records a proof made on the session just now (a right password at `password:change`, say). */
export async function markSessionProven(ctx: HubContext, sessionId: string): Promise<Date> {
  const now = ctx.clock.now();
  await ctx.db.session.updateMany({ where: { id: sessionId }, data: { provenAt: now } });
  return new Date(now.getTime() + FRESH_PROOF_TTL_SECONDS * 1000);
}

/**
 * `session:reauthenticate`: the password, under the same failure limits as a login (so a stolen
 * token is no faster an oracle for the password than the login form), or a paired device's code,
 * under the same HOTP rules, counters and locks as at login.
 */
export async function reauthenticate(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"session:reauthenticate">,
  origin: Origin,
): Promise<Ack<EventReply<"session:reauthenticate">>> {
  const refused = input.password !== undefined ? await checkPassword(ctx, session, input.password, origin) : await checkDeviceCode(ctx, session, input.otp!, origin);
  if (refused) {
    await recordAudit(ctx.db, { userId: session.userId, action: "session.reauthentication_failed", origin, details: { sessionId: session.sessionId, proof: input.password !== undefined ? "password" : "otp", code: refused.error.code } });
    return refused;
  }
  const until = await markSessionProven(ctx, session.sessionId);
  await recordAudit(ctx.db, { userId: session.userId, action: "session.reauthenticated", origin, details: { sessionId: session.sessionId, proof: input.password !== undefined ? "password" : "otp" } });
  return success({ freshUntil: until.toISOString() });
}

async function checkPassword(ctx: HubContext, session: ActiveSession, password: string, origin: Origin): Promise<Failure | null> {
  const limited = await takeAttempt(loginAttemptBuckets(ctx, session.username, origin));
  if (limited) return limited;
  const user = await ctx.db.user.findUniqueOrThrow({ where: { id: session.userId }, select: { passwordHash: true } });
  const checkable = Buffer.byteLength(password, "utf8") <= PASSWORD_MAX_BYTES;
  const admission = openAdmission(origin.address, session.username);
  if (!checkable || !(await ctx.passwords.verify(password, user.passwordHash, admission))) return failure("invalid_credentials", "The password is wrong.");
  await clearLoginFailures(ctx, session.username, origin);
  return null;
}

async function checkDeviceCode(ctx: HubContext, session: ActiveSession, code: string, origin: Origin): Promise<Failure | null> {
  const verdict = await verifyUserOtp(ctx, session.userId, code, origin);
  return verdict.ok ? null : verdict;
}
