import { SESSION_IDLE_TTL_SECONDS } from "#protocol";
import type { HubContext } from "./context.ts";
import { deleteExpiredWaitingMessages } from "./messages/waiting-messages.ts";

/** How often each hub process sweeps. Every process sweeps; each step is safe to run twice. */
export const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;
/** Codes and challenges stay this long past their expiry, for a late answer to find them. */
const SPENT_ROW_GRACE_MS = 60 * 60 * 1000;
/** Rows handled per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 500;

export interface SweepResult {
  /** Sessions held by this process's sockets, and how many of them still had a row to touch. */
  connectedSessions: number;
  touchedSessions: number;
  expiredSessions: number;
  purgedRows: number;
}

/**
 * One sweep:
 * - a session held by a socket of this process counts as seen, so a client that stays connected
 *   for weeks is not found idle at its next reconnect (its socket's events need no database write);
 * - sessions past their absolute or idle limit end as `expired`, and sockets still holding one
 *   are told and closed, so they stop hearing the account's notices and messages;
 * - challenges, binding codes and email codes, used or not, are deleted an hour after they expired;
 * - standard authenticator enrolments nobody confirmed are deleted as they expire;
 * - chat messages nobody read in time are deleted.
 */
export async function sweep(ctx: HubContext, connectedSessionIds: () => string[]): Promise<SweepResult> {
  const now = ctx.clock.now();
  const connected = [...new Set(connectedSessionIds())];
  const result: SweepResult = { connectedSessions: connected.length, touchedSessions: 0, expiredSessions: 0, purgedRows: 0 };
  for (let start = 0; start < connected.length; start += BATCH) {
    const { count } = await ctx.db.session.updateMany({ where: { id: { in: connected.slice(start, start + BATCH) } }, data: { lastSeenAt: now } });
    result.touchedSessions += count;
  }

  const idleSince = new Date(now.getTime() - SESSION_IDLE_TTL_SECONDS * 1000);
  for (;;) {
    const ended = await ctx.db.session.findMany({
      where: { OR: [{ expiresAt: { lte: now } }, { lastSeenAt: { lte: idleSince } }] },
      select: { id: true, userId: true },
      take: BATCH,
    });
    if (ended.length === 0) break;
    const ids = ended.map((row) => row.id);
    // Both or neither: a binding code asked for by an ended session must not pair a device later.
    await ctx.db.$transaction([ctx.db.session.deleteMany({ where: { id: { in: ids } } }), ctx.db.bindingCode.deleteMany({ where: { sessionId: { in: ids }, usedAt: null } })]);
    for (const [userId, sessionIds] of groupByUser(ended)) ctx.events.emit("sessions-ended", { userId, sessionIds, reason: "expired" });
    result.expiredSessions += ended.length;
    if (ended.length < BATCH) break;
  }

  // Used rows go with their expiry too: none lives longer than a day, and one indexed column
  // keeps the sweep from reading whole tables.
  const spent = { expiresAt: { lt: new Date(now.getTime() - SPENT_ROW_GRACE_MS) } };
  const purged = await Promise.all([
    ctx.db.loginChallenge.deleteMany({ where: spent }),
    ctx.db.bindingCode.deleteMany({ where: spent }),
    ctx.db.emailCode.deleteMany({ where: spent }),
  ]);
  // An enrolment holds a secret nobody confirmed: it goes at its expiry, with no grace.
  const enrolments = await ctx.db.standardEnrolment.deleteMany({ where: { expiresAt: { lte: now } } });
  result.purgedRows = purged.reduce((sum, { count }) => sum + count, 0) + enrolments.count + (await deleteExpiredWaitingMessages(ctx, now));
  return result;
}

export interface HousekeepingHooks {
  /** The sessions held by this process's `/client` sockets. */
  connectedSessionIds(): string[];
  /**
   * Checks this process's sockets against the database and ends those whose session or device is
   * gone. Called when a sweep finds a connected session without its row: news of its end was lost
   * (a process restarted, Redis was away), and nothing else would close the socket.
   */
  recheckSockets(): Promise<void>;
}

/**
 * Sweeps now and then every HOUSEKEEPING_INTERVAL_MS until stopped; a tick that finds the last
 * sweep still running is skipped. A failed sweep is logged and tried again at the next tick.
 */
export function startHousekeeping(ctx: HubContext, hooks: HousekeepingHooks): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  const run = () => {
    running ??= sweep(ctx, () => hooks.connectedSessionIds())
      .then(async (result) => {
        if (result.expiredSessions > 0 || result.purgedRows > 0) ctx.log.info(result, "housekeeping");
        if (result.touchedSessions < result.connectedSessions) await hooks.recheckSockets();
      })
      .catch((error: unknown) => ctx.log.warn({ err: error }, "housekeeping sweep failed; trying again at the next one"))
      .finally(() => {
        running = undefined;
      });
  };
  run();
  const timer = setInterval(run, HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

function groupByUser(rows: { id: string; userId: string }[]): Map<string, string[]> {
  const byUser = new Map<string, string[]>();
  for (const row of rows) byUser.set(row.userId, [...(byUser.get(row.userId) ?? []), row.id]);
  return byUser;
}
