import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { browserLogIn, connectAsBrowser, connected } from "./support/browser-session.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { rest } from "./support/rest.ts";

/** Browser sessions: the cookie set by the last login step, the handshake that accepts it, logout, and live logout with the reason. */

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { eventsPerSocket: { points: 10_000, durationSeconds: 10 } } });
});
afterAll(() => hub?.destroy());

async function registered(name: string) {
  const account = newAccount(name);
  await register(hub, account);
  return account;
}

function nextRevocation(socket: TestSocket): Promise<PushPayload<"session:revoked">> {
  return new Promise((resolve) => socket.once("session:revoked", resolve));
}

describe("POST /api/web/login", () => {
  it("answers the user and expiry and sets the session cookie, with which a page's socket is logged in", async () => {
    const amy = await registered("amy");
    const { response, cookie } = await browserLogIn(hub, amy);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toMatchObject({ ok: true, data: { user: { username: "amy" }, expiresAt: expect.any(String) } });
    expect(response.headers["cache-control"]).toBe("no-store");

    const socket = await connected(connectAsBrowser(hub, { cookie, origin: hub.url }));
    expect(expectOk(await call(socket, "account:me", {}))).toMatchObject({ user: { username: "amy" } });
    socket.disconnect();
  });

  it("answers auth:complete's failures as the event does, and sets no cookie", async () => {
    const socket = await connectClient(hub);
    const ack = await call(socket, "auth:complete", { challengeId: "00000000-0000-4000-8000-000000000000", signature: "AAAA" });
    socket.disconnect();
    const response = await rest(hub, "POST", "/api/web/login", { json: { challengeId: "00000000-0000-4000-8000-000000000000", signature: "AAAA" }, headers: { origin: hub.url } });
    expect(response.body).toEqual(ack);
    expect(response.status).toBe(404);
    expect(response.headers["set-cookie"]).toBeUndefined();
  });
});

describe("POST /api/web/logout", () => {
  it("ends the cookie's session, tells its sockets, and clears the cookie", async () => {
    const ben = await registered("ben");
    const { cookie } = await browserLogIn(hub, ben);
    const page = await connected(connectAsBrowser(hub, { cookie, origin: hub.url }));
    const revoked = nextRevocation(page);

    const response = await rest(hub, "POST", "/api/web/logout", { headers: { origin: hub.url, cookie } });
    expect(response.body).toEqual({ ok: true, data: { loggedOut: true } });
    expect(response.headers["set-cookie"]).toEqual(["__Host-pairgate-session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"]);
    expect((await revoked).reason).toBe("logout");
  });

  it("clears a cookie whose session already ended, answering unauthorized", async () => {
    const response = await rest(hub, "POST", "/api/web/logout", { headers: { origin: hub.url, cookie: "__Host-pairgate-session=gKxdAqVpPxvAjMjpecVwhaYay8Q4wKc3ChosZFVbhyw" } });
    expect(response.status).toBe(401);
    expect(response.headers["set-cookie"]).toEqual(["__Host-pairgate-session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"]);
  });
});

describe("a page logged out live, with the reason", () => {
  it("hears 'revoked' when a terminal session revokes it", async () => {
    const cleo = await registered("cleo");
    const { cookie } = await browserLogIn(hub, cleo);
    const page = await connected(connectAsBrowser(hub, { cookie, origin: hub.url }));
    const { socket: terminal } = await logIn(hub, cleo);
    const sessions = expectOk(await call(terminal, "session:list", {})).sessions;
    const browser = sessions.find((session) => session.clientName === "browser")!;
    const revoked = nextRevocation(page);
    expectOk(await call(terminal, "session:revoke", { sessionId: browser.id }));
    expect(await revoked).toEqual({ sessionId: browser.id, reason: "revoked" });
    terminal.disconnect();
  });

  it("hears 'account_locked' when an administrator locks the account", async () => {
    const admin = await registered("ada");
    await hub.hub.context.db.user.update({ where: { username: "ada" }, data: { role: "admin" } });
    const dora = await registered("dora");
    const { cookie } = await browserLogIn(hub, dora);
    const page = await connected(connectAsBrowser(hub, { cookie, origin: hub.url }));
    const revoked = nextRevocation(page);
    const { socket } = await logIn(hub, admin);
    const target = await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: "dora" } });
    expectOk(await call(socket, "admin:lock-user", { userId: target.id }));
    expect((await revoked).reason).toBe("account_locked");
    socket.disconnect();
  });
});
