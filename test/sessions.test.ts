import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_ABSOLUTE_TTL_SECONDS, type PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, STRONG_PASSWORD, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { CLOSE_GRACE_MS } from "../server/transport/socket/event-router.ts";

let hub: TestHub;
const alice = newAccount("alice");
const bob = newAccount("bob");

beforeAll(async () => {
  hub = await startTestHub();
  await register(hub, alice);
  await register(hub, bob);
});
afterAll(() => hub.destroy());

function nextRevocation(socket: TestSocket): Promise<{ revoked: PushPayload<"session:revoked">; disconnected: Promise<string> }> {
  return new Promise((resolve) => {
    socket.once("session:revoked", (revoked) => {
      resolve({ revoked, disconnected: new Promise((done) => socket.once("disconnect", (reason) => done(reason))) });
    });
  });
}

describe("handshake authentication", () => {
  it("accepts a session token in the handshake", async () => {
    const { token, socket } = await logIn(hub, alice);
    socket.disconnect();
    const again = await connectClient(hub, { token });
    expect(expectOk(await call(again, "account:me", {})).user.username).toBe("alice");
    again.disconnect();
  });

  it.each([
    ["an unknown token", "A".repeat(43), "invalid_token"],
    ["a token of the wrong type", 42, "invalid_handshake"],
    ["an oversized token", "A".repeat(10_000), "invalid_handshake"],
  ])("refuses %s with connect_error", async (_label, token, code) => {
    const error = await connectClient(hub, { token: token as string }).then(
      () => null,
      (refusal: Error & { data?: { code?: string } }) => refusal,
    );
    expect(error?.data?.code).toBe(code);
  });

  it("refuses an expired session with connect_error session_expired", async () => {
    const { token, socket } = await logIn(hub, alice);
    socket.disconnect();
    hub.clock.advance(SESSION_ABSOLUTE_TTL_SECONDS * 1000);
    const error = await connectClient(hub, { token }).then(() => null, (refusal: Error & { data?: { code?: string } }) => refusal);
    expect(error?.data?.code).toBe("session_expired");
  });

  it("keeps anonymous sockets out of session events", async () => {
    const socket = await connectClient(hub);
    expect(await call(socket, "account:me", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(await call(socket, "session:list", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    socket.disconnect();
  });
});

describe("sessions", () => {
  it("lists the account's sessions and marks the current one", async () => {
    const first = await logIn(hub, bob);
    const second = await logIn(hub, bob);
    const { sessions } = expectOk(await call(second.socket, "session:list", {}));
    expect(sessions.length).toBeGreaterThanOrEqual(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    first.socket.disconnect();
    second.socket.disconnect();
  });

  it("auth:logout answers, tells the socket, disconnects it, and the token stops working", async () => {
    const { socket, token } = await logIn(hub, alice);
    const revocation = nextRevocation(socket);
    expectOk(await call(socket, "auth:logout", {}));
    const { revoked, disconnected } = await revocation;
    expect(revoked.reason).toBe("logout");
    expect(await disconnected).toBe("io server disconnect");
    await expect(connectClient(hub, { token })).rejects.toMatchObject({ data: { code: "invalid_token" } });
  });

  it("closes a logged-out socket only after a grace, so that a client can read the answer first", async () => {
    const { socket } = await logIn(hub, alice);
    const closed = new Promise<number>((resolve) => socket.once("disconnect", () => resolve(performance.now())));
    expectOk(await call(socket, "auth:logout", {}));
    const answered = performance.now();
    // The hub started the grace before it sent the answer, so the answer's trip comes off it.
    expect(await closed - answered).toBeGreaterThan(CLOSE_GRACE_MS / 2);
  });

  it("keeps a logged-out socket open, without its session, when its client goes on using it", async () => {
    const { socket } = await logIn(hub, alice);
    expectOk(await call(socket, "auth:logout", {}));
    expect(await call(socket, "account:me", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    // Past the grace: had the close not been called off, this login would find the socket closed.
    await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS * 1.5));
    await logIn(hub, alice, socket);
    expect(expectOk(await call(socket, "account:me", {})).user.username).toBe("alice");
    socket.disconnect();
  });

  it("session:revoke disconnects the revoked session's live socket", async () => {
    const victim = await logIn(hub, alice);
    const actor = await logIn(hub, alice);
    const me = expectOk(await call(victim.socket, "account:me", {}));
    const revocation = nextRevocation(victim.socket);
    expectOk(await call(actor.socket, "session:revoke", { sessionId: me.session.id }));
    const { revoked, disconnected } = await revocation;
    expect(revoked).toEqual({ sessionId: me.session.id, reason: "revoked" });
    await disconnected;
    expect(actor.socket.connected).toBe(true);
    actor.socket.disconnect();
  });

  it("session:revoke refuses another account's session", async () => {
    const bobSession = await logIn(hub, bob);
    const aliceSession = await logIn(hub, alice);
    const bobMe = expectOk(await call(bobSession.socket, "account:me", {}));
    const ack = await call(aliceSession.socket, "session:revoke", { sessionId: bobMe.session.id });
    expect(ack).toMatchObject({ ok: false, error: { code: "session_not_found" } });
    expect(bobSession.socket.connected).toBe(true);
    bobSession.socket.disconnect();
    aliceSession.socket.disconnect();
  });

  it("auth:logout-all ends every session of the account, and no other account's", async () => {
    const bobSession = await logIn(hub, bob);
    const a = await logIn(hub, alice);
    const b = await logIn(hub, alice);
    const otherRevoked = nextRevocation(b.socket);
    const own = nextRevocation(a.socket);
    const { sessionsEnded } = expectOk(await call(a.socket, "auth:logout-all", {}));
    expect(sessionsEnded).toBeGreaterThanOrEqual(2);
    expect((await otherRevoked).revoked.reason).toBe("logout_all");
    expect((await own).revoked.reason).toBe("logout_all");
    expect(await hub.hub.context.db.session.count({ where: { userId: await userId("alice") } })).toBe(0);
    expect(bobSession.socket.connected).toBe(true);
    bobSession.socket.disconnect();
  });
});

describe("password:change", () => {
  const carol = newAccount("carol");
  const newPassword = "amber-falcon-harbour-77";

  it("needs the current password", async () => {
    await register(hub, carol);
    const { socket } = await logIn(hub, carol);
    const ack = await call(socket, "password:change", { currentPassword: "not-the-password", newPassword });
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    socket.disconnect();
  });

  it("refuses a weak new password with the reason", async () => {
    const { socket } = await logIn(hub, carol);
    const ack = await call(socket, "password:change", { currentPassword: STRONG_PASSWORD, newPassword: "qwerty123" });
    expect(ack).toMatchObject({ ok: false, error: { code: "weak_password" } });
    socket.disconnect();
  });

  it("changes it, ends the other sessions, keeps this one, and tells the person", async () => {
    const other = await logIn(hub, carol);
    const current = await logIn(hub, carol);
    const otherRevoked = nextRevocation(other.socket);
    const notice = new Promise<PushPayload<"security:notice">>((resolve) => current.socket.once("security:notice", resolve));
    const result = expectOk(await call(current.socket, "password:change", { currentPassword: STRONG_PASSWORD, newPassword }));
    expect(result.sessionsEnded).toBeGreaterThanOrEqual(1);
    expect((await otherRevoked).revoked.reason).toBe("password_changed");
    expect((await notice).kind).toBe("password_changed");
    expect(expectOk(await call(current.socket, "account:me", {})).user.username).toBe("carol");
    current.socket.disconnect();

    const fresh = await connectClient(hub);
    expect(await call(fresh, "auth:login", { username: "carol", password: STRONG_PASSWORD })).toMatchObject({ ok: false });
    expectOk(await call(fresh, "auth:login", { username: "carol", password: newPassword }));
    fresh.disconnect();
  });
});

describe("audit:list", () => {
  it("shows the account's own events newest first, paged, and none of another account's", async () => {
    const { socket } = await logIn(hub, alice);
    const page = expectOk(await call(socket, "audit:list", { limit: 2 }));
    expect(page.events).toHaveLength(2);
    expect(page.nextBefore).not.toBeNull();
    const next = expectOk(await call(socket, "audit:list", { limit: 200, before: page.nextBefore! }));
    const all = [...page.events, ...next.events];
    expect(new Set(all.map((event) => event.id)).size).toBe(all.length);
    const times = all.map((event) => Date.parse(event.createdAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
    expect(all.map((event) => event.action)).toContain("account.registered");
    const aliceId = await userId("alice");
    const rows = await hub.hub.context.db.auditEvent.findMany({ where: { id: { in: all.map((event) => event.id) } } });
    expect(rows.every((row) => row.userId === aliceId)).toBe(true);
    socket.disconnect();
  });
});

async function userId(username: string): Promise<string> {
  return (await hub.hub.context.db.user.findUniqueOrThrow({ where: { username } })).id;
}
