import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_ABSOLUTE_TTL_SECONDS, SESSION_IDLE_TTL_SECONDS } from "#protocol";
import { startHousekeeping, sweep } from "../server/housekeeping.ts";
import { hashSessionToken } from "../server/sessions/session-tokens.ts";
import { connectedSessionIds, recheckSockets } from "../server/transport/socket/socket-server.ts";
import { call, connectClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
const ann = newAccount("ann");
const ben = newAccount("ben");
const db = () => hub.hub.context.db;
const sweepNow = () => sweep(hub.hub.context, () => connectedSessionIds(hub.hub.io));
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  hub = await startTestHub();
  await register(hub, ann);
  await register(hub, ben);
});
afterAll(() => hub.destroy());

const sessionOf = (token: string) => db().session.findUniqueOrThrow({ where: { tokenHash: hashSessionToken(token) } });

/** Disconnects, and waits until the hub has let go of the socket's session as well. */
async function disconnect(socket: TestSocket, token: string): Promise<void> {
  const { id } = await sessionOf(token);
  socket.disconnect();
  await expect.poll(() => connectedSessionIds(hub.hub.io).includes(id)).toBe(false);
}

function revocation(socket: TestSocket): Promise<string> {
  return new Promise((resolve) => socket.once("session:revoked", ({ reason }) => resolve(reason)));
}

describe("idle sessions", () => {
  it("counts a session held by a connected socket as seen, so it survives its idle limit", async () => {
    const { socket, token } = await logIn(hub, ann);
    // Connected for eight days without a reconnect: the row was last touched at connect.
    hub.clock.advance(SESSION_IDLE_TTL_SECONDS * 1000 + DAY);
    const eightDaysLater = hub.clock.now();

    const result = await sweepNow();

    expect(result.touchedSessions).toBe(1);
    expect(result.expiredSessions).toBe(0);
    expect((await sessionOf(token)).lastSeenAt.getTime()).toBeGreaterThanOrEqual(eightDaysLater.getTime());
    // Ended here, so that the sweeps below count only their own sessions.
    expectOk(await call(socket, "auth:logout", {}));
    socket.disconnect();
  });

  it("ends a session nobody has used within the idle limit", async () => {
    const { socket, token } = await logIn(hub, ann);
    await disconnect(socket, token);
    const row = await sessionOf(token);
    hub.clock.advance(SESSION_IDLE_TTL_SECONDS * 1000 + 1000);

    expect((await sweepNow()).expiredSessions).toBe(1);
    expect(await db().session.findUnique({ where: { id: row.id } })).toBeNull();
    await expect(connectClient(hub, { token })).rejects.toMatchObject({ data: { code: "invalid_token" } });
  });
});

describe("sessions whose end was never heard", () => {
  it("closes a socket whose session row is gone, as when the news was lost between processes", async () => {
    const { socket } = await logIn(hub, ann);
    const { session } = expectOk(await call(socket, "account:me", {}));
    // Deleted behind the hub's back: no event, as if it happened on a process whose news was lost.
    await db().session.delete({ where: { id: session.id } });
    const told = revocation(socket);

    const keeper = startHousekeeping(hub.hub.context, {
      connectedSessionIds: () => connectedSessionIds(hub.hub.io),
      recheckSockets: () => recheckSockets(hub.hub.context, hub.hub.io),
    });
    try {
      expect(await told).toBe("revoked");
    } finally {
      await keeper.stop();
    }
  });
});

describe("expired sessions", () => {
  it("tells a socket still holding a session past its absolute limit, and closes it", async () => {
    const { socket } = await logIn(hub, ben);
    const { session } = expectOk(await call(socket, "account:me", {}));
    // Still connected, so the sweep counts it as seen: only the absolute limit can end it.
    hub.clock.advance(SESSION_ABSOLUTE_TTL_SECONDS * 1000 + 1000);
    const told = revocation(socket);
    const closed = new Promise<string>((resolve) => socket.once("disconnect", resolve));

    expect((await sweepNow()).expiredSessions).toBe(1);

    expect(await told).toBe("expired");
    expect(await closed).toBe("io server disconnect");
    expect(await db().session.findUnique({ where: { id: session.id } })).toBeNull();
  });

  it("leaves live sessions alone", async () => {
    const { socket, token } = await logIn(hub, ben);
    const { session } = expectOk(await call(socket, "account:me", {}));
    await disconnect(socket, token);

    await sweepNow();

    expect(await db().session.findUnique({ where: { id: session.id } })).not.toBeNull();
  });
});

describe("spent rows", () => {
  it("deletes challenges, binding codes and email codes, used or not, an hour after they expired", async () => {
    const user = await db().user.findUniqueOrThrow({ where: { username: "ann" } });
    const now = hub.clock.now().getTime();
    const at = (offsetMs: number) => new Date(now + offsetMs);
    const twoHoursAgo = -2 * HOUR;
    const rows = {
      staleChallenge: { expiresAt: at(twoHoursAgo), usedAt: null },
      usedStaleChallenge: { expiresAt: at(twoHoursAgo), usedAt: at(twoHoursAgo - 60_000) },
      recentChallenge: { expiresAt: at(-10 * 60 * 1000), usedAt: null },
      liveChallenge: { expiresAt: at(5 * 60 * 1000), usedAt: null },
    };
    const ids: Record<string, string> = {};
    for (const [name, times] of Object.entries(rows)) {
      ids[name] = randomUUID();
      await db().loginChallenge.create({ data: { id: ids[name], userId: user.id, nonce: "n", ...times } });
    }
    const staleCode = await db().bindingCode.create({ data: { id: randomUUID(), userId: user.id, codeHash: randomUUID(), expiresAt: at(twoHoursAgo) } });
    const liveCode = await db().bindingCode.create({ data: { id: randomUUID(), userId: user.id, codeHash: randomUUID(), expiresAt: at(60 * 1000) } });
    const staleEmailCode = await db().emailCode.create({
      data: { id: randomUUID(), userId: user.id, purpose: "password_reset", codeHash: "h", expiresAt: at(twoHoursAgo), usedAt: at(twoHoursAgo - 60_000) },
    });
    const liveEmailCode = await db().emailCode.create({ data: { id: randomUUID(), userId: user.id, purpose: "email_verification", codeHash: "h", expiresAt: at(DAY) } });

    const result = await sweepNow();

    const left = async (model: "loginChallenge" | "bindingCode" | "emailCode", id: string) =>
      (await (db()[model] as unknown as { findUnique(args: object): Promise<unknown> }).findUnique({ where: { id } })) !== null;
    expect(await left("loginChallenge", ids.staleChallenge!)).toBe(false);
    expect(await left("loginChallenge", ids.usedStaleChallenge!)).toBe(false);
    expect(await left("loginChallenge", ids.recentChallenge!)).toBe(true);
    expect(await left("loginChallenge", ids.liveChallenge!)).toBe(true);
    expect(await left("bindingCode", staleCode.id)).toBe(false);
    expect(await left("bindingCode", liveCode.id)).toBe(true);
    expect(await left("emailCode", staleEmailCode.id)).toBe(false);
    expect(await left("emailCode", liveEmailCode.id)).toBe(true);
    expect(result.purgedRows).toBeGreaterThanOrEqual(4);
  });
});

describe("the hub's schedule", () => {
  it("sweeps once at start-up", async () => {
    const other = await startTestHub();
    try {
      const user = await other.hub.context.db.user.create({ data: { id: randomUUID(), username: "cy", email: "cy@example.test", passwordHash: "x" } });
      const stale = await other.hub.context.db.loginChallenge.create({ data: { id: randomUUID(), userId: user.id, nonce: "n", expiresAt: other.clock.now() } });
      await other.stop();
      // Down for a day: the challenge is long past its grace hour when the hub comes back.
      other.clock.advance(DAY);
      const again = await startTestHub({ root: other.dataDir.replace(/\/data$/, ""), clock: other.clock });
      try {
        await expect.poll(() => again.hub.context.db.loginChallenge.findUnique({ where: { id: stale.id } })).toBeNull();
      } finally {
        await again.stop();
      }
    } finally {
      await other.destroy();
    }
  });
});
