import { SESSION_IDLE_TTL_SECONDS } from "#protocol";
import type { HubContext } from "./context.ts";

/** How often each hub process sweeps. Every process sweeps; each step is safe to run twice. */
export const HOUSEKEEPING_INTERVAL_MS = 10 * 60 * 1000;
/** Spent codes and challenges stay this long past their end, for a late answer to find them. */
const SPENT_ROW_GRACE_MS = 60 * 60 * 1000;
/** Rows handled per statement: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 500;

export interface SweepResult {
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
 * - expired and spent challenges, binding codes and email codes are deleted once the grace is over.
 */
export async function sweep(ctx: HubContext, connectedSessionIds: () => string[], now = new Date()): Promise<SweepResult> {
  const result: SweepResult = { touchedSessions: 0, expiredSessions: 0, purgedRows: 0 };
  const connected = [...new Set(connectedSessionIds())];
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
    await ctx.db.session.deleteMany({ where: { id: { in: ended.map((row) => row.id) } } });
    await ctx.db.bindingCode.deleteMany({ where: { sessionId: { in: ended.map((row) => row.id) }, usedAt: null } });
    for (const [userId, sessionIds] of groupByUser(ended)) ctx.events.emit("sessions-ended", { userId, sessionIds, reason: "expired" });
    result.expiredSessions += ended.length;
    if (ended.length < BATCH) break;
  }

  const spentBefore = new Date(now.getTime() - SPENT_ROW_GRACE_MS);
  const spent = { OR: [{ expiresAt: { lt: spentBefore } }, { usedAt: { lt: spentBefore } }] };
  const purged = await Promise.all([
    ctx.db.loginChallenge.deleteMany({ where: spent }),
    ctx.db.bindingCode.deleteMany({ where: spent }),
    ctx.db.emailCode.deleteMany({ where: spent }),
  ]);
  result.purgedRows = purged.reduce((sum, { count }) => sum + count, 0);
  return result;
}

/** Sweeps now and then every HOUSEKEEPING_INTERVAL_MS until stopped; a failed sweep is logged and retried next time. */
export function startHousekeeping(ctx: HubContext, connectedSessionIds: () => string[]): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = sweep(ctx, connectedSessionIds).then(
      (result) => {
        if (result.expiredSessions > 0 || result.purgedRows > 0) ctx.log.info(result, "housekeeping");
      },
      (error: unknown) => ctx.log.warn({ err: error }, "housekeeping sweep failed; trying again at the next one"),
    );
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
