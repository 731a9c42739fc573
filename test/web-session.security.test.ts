import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESSION_ABSOLUTE_TTL_SECONDS } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge } from "./support/client.ts";
import { browserLogIn, connectAsBrowser, connected } from "./support/browser-session.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { rest } from "./support/rest.ts";

/** Browser sessions against abuse: the token out of page reach, cross-site handshakes and writes refused, revoked cookies dead. */

let hub: TestHub;
const ELSEWHERE = "https://evil.example";

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { eventsPerSocket: { points: 10_000, durationSeconds: 10 } } });
});
afterAll(() => hub?.destroy());

async function registered(name: string) {
  const account = newAccount(name);
  await register(hub, account);
  return account;
}

describe("the session cookie", () => {
  it("is set with exactly HttpOnly, Secure, SameSite=Strict, Path=/ and the session's lifetime, and the token is nowhere in the body", async () => {
    const { response, setCookie, cookie } = await browserLogIn(hub, await registered("amy"));
    const token = cookie.split("=")[1]!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const attributes = /^__Host-pairgate-session=([^;]+); Max-Age=(\d+); Path=\/; HttpOnly; Secure; SameSite=Strict$/.exec(setCookie);
    expect(attributes?.[1]).toBe(token);
    // What is left of the session when the answer was made: its whole life, less the moments the login took.
    const maxAgeSeconds = Number(attributes?.[2]);
    expect(maxAgeSeconds).toBeLessThanOrEqual(SESSION_ABSOLUTE_TTL_SECONDS);
    expect(maxAgeSeconds).toBeGreaterThan(SESSION_ABSOLUTE_TTL_SECONDS - 60);
    expect(response.text).not.toContain(token);
    expect(Object.keys(response.body.ok ? response.body.data : {}).sort()).toEqual(["expiresAt", "user"]);
    expect(hub.logs.join("")).not.toContain(token);
  });

  it("no longer connects once its session is revoked", async () => {
    const bea = await registered("bea");
    const { cookie } = await browserLogIn(hub, bea);
    const { socket: terminal } = await logIn(hub, bea);
    const browser = expectOk(await call(terminal, "session:list", {})).sessions.find((session) => session.clientName === "browser")!;
    expectOk(await call(terminal, "session:revoke", { sessionId: browser.id }));
    terminal.disconnect();
    await expect(connected(connectAsBrowser(hub, { cookie, origin: hub.url }))).rejects.toMatchObject({ data: { code: "invalid_token" } });
  });
});

describe("cross-site WebSocket hijacking", () => {
  it("refuses a handshake from another site's page that carries the cookie, with a connect_error", async () => {
    const { cookie } = await browserLogIn(hub, await registered("cai"));
    await expect(connected(connectAsBrowser(hub, { cookie, origin: ELSEWHERE }))).rejects.toMatchObject({ data: { code: "origin_not_allowed" } });
  });

  it("refuses a cookie handshake without an Origin, and any handshake from another site's page", async () => {
    const { cookie } = await browserLogIn(hub, await registered("dia"));
    await expect(connected(connectAsBrowser(hub, { cookie }))).rejects.toMatchObject({ data: { code: "origin_not_allowed" } });
    await expect(connected(connectAsBrowser(hub, { origin: ELSEWHERE }))).rejects.toMatchObject({ data: { code: "origin_not_allowed" } });
    await expect(connected(connectAsBrowser(hub, { origin: `${hub.url}.evil.example` }))).rejects.toMatchObject({ data: { code: "origin_not_allowed" } });
  });

  it("still accepts a terminal program's auth.token, which sends no Origin", async () => {
    const { token } = await logIn(hub, await registered("eve"));
    const socket = await connectClient(hub, { token });
    expect(expectOk(await call(socket, "account:me", {}))).toMatchObject({ user: { username: "eve" } });
    socket.disconnect();
  });
});

describe("cross-site request forgery", () => {
  it("refuses a cross-site POST that carries the cookie, and the session lives on", async () => {
    const { cookie } = await browserLogIn(hub, await registered("fay"));
    const logout = await rest(hub, "POST", "/api/web/logout", { headers: { origin: ELSEWHERE, cookie } });
    expect(logout.status).toBe(403);
    expect(logout.body).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(logout.headers["set-cookie"]).toBeUndefined();
    // The REST mirror too: any state-changing request with the cookie.
    const mirror = await rest(hub, "POST", "/api/auth/logout", { headers: { origin: ELSEWHERE, cookie } });
    expect(mirror.status).toBe(403);
    const withoutOrigin = await rest(hub, "POST", "/api/web/logout", { headers: { cookie } });
    expect(withoutOrigin.status).toBe(403);
    await connected(connectAsBrowser(hub, { cookie, origin: hub.url })).then((socket) => socket.disconnect());
  });

  it("refuses a login posted from another site's page (login CSRF), without using up the challenge", async () => {
    const gus = await registered("gus");
    const socket = await connectClient(hub);
    const challenge = expectOk(await call(socket, "auth:login", { username: "gus", password: gus.password }));
    const body = { challengeId: challenge.challengeId, signature: signChallenge(gus.keys.privateKey, challenge.challengeId, challenge.nonce) };
    const refused = await rest(hub, "POST", "/api/web/login", { json: body, headers: { origin: ELSEWHERE } });
    expect(refused.status).toBe(403);
    expect(refused.headers["set-cookie"]).toBeUndefined();
    const accepted = await rest(hub, "POST", "/api/web/login", { json: body, headers: { origin: hub.url } });
    expect(accepted.status, accepted.text).toBe(200);
    socket.disconnect();
  });

  it("leaves bearer-token requests from terminal programs alone", async () => {
    const { token } = await logIn(hub, await registered("hal"));
    const response = await rest(hub, "POST", "/api/auth/logout", { token });
    expect(response.body).toEqual({ ok: true, data: { loggedOut: true } });
  });
});
