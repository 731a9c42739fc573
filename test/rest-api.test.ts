import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, signChallenge, STRONG_PASSWORD } from "./support/client.ts";
import { pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { expectError, outboxCode, registerVerified, registration, rest, restData, restLogIn, RESET_SUBJECT, VERIFICATION_SUBJECT, verifyEmail, waitForOutbox } from "./support/rest.ts";

/** The REST mirror over real HTTPS: each route answers as its socket event does. Abuse cases: rest-api.security.test.ts. */

let hub: TestHub;
const alice = newAccount("alice");
const bob = newAccount("bob");

beforeAll(async () => {
  hub = await startTestHub({
    // As a hub runs with no settings: accounts confirm their email before the first login.
    env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" },
    rateLimits: {
      // Every request here comes from 127.0.0.1: the per-account mail limits are the ones under test.
      verificationMailsPerAddress: { points: 1000, durationSeconds: 60 },
      resetMailsPerAddress: { points: 1000, durationSeconds: 60 },
    },
  });
  await registerVerified(hub, bob);
});
afterAll(() => hub?.destroy());


describe("anonymous routes", () => {
  it("registers an account: 201, the ack shape, no-store, and helmet's headers", async () => {
    const response = await rest(hub, "POST", "/api/account/register", { json: registration(alice) });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ ok: true, data: { user: { username: "alice", email: alice.email }, emailVerificationRequired: expect.any(Boolean) } });
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.headers["x-frame-options"]).toBe("DENY");
    expect(response.headers["strict-transport-security"]).toMatch(/max-age=\d+/);
    expect(response.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(response.headers["cross-origin-resource-policy"]).toBe("same-origin");
    expect(response.headers["x-powered-by"]).toBeUndefined();
  });

  it("refuses a login before the email is confirmed with 403, and confirms it with the emailed code", async () => {
    const early = await rest(hub, "POST", "/api/auth/login", { json: { username: "alice", password: alice.password } });
    expectError(early, 403, "email_not_verified");
    const wrong = await rest(hub, "POST", "/api/account/verify-email", { json: { username: "alice", code: "000000" } });
    expectError(wrong, 401, "invalid_code");
    expect(wrong.headers["www-authenticate"]).toBe('Bearer realm="pairgate"');
    await verifyEmail(hub, alice);
    const reused = await rest(hub, "POST", "/api/account/verify-email", { json: { username: "alice", code: await outboxCode(hub, alice.email, VERIFICATION_SUBJECT) } });
    expectError(reused, 401, "invalid_code");
    expectError(await rest(hub, "POST", "/api/account/verify-email", { json: { username: "alice", code: "12345" } }), 400, "invalid_request");
  });

  it("answers the socket event's error codes with their HTTP statuses", async () => {
    expectError(await rest(hub, "POST", "/api/account/register", { json: registration(alice) }), 409, "username_taken");
    const weak = await rest(hub, "POST", "/api/account/register", { json: { ...registration(newAccount("weakling")), password: "password" } });
    expectError(weak, 422, "weak_password");
    const badKey = await rest(hub, "POST", "/api/account/register", { json: { ...registration(newAccount("nokey")), publicKey: "not a key" } });
    expectError(badKey, 422, "invalid_public_key");
  });


  it("logs in with password and key signature, and the session is the account's", async () => {
    const token = await restLogIn(hub, alice);
    const me = await rest(hub, "GET", "/api/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ ok: true, data: { user: { username: "alice", role: "user" }, session: { id: expect.any(String) } } });
    expect(me.headers["cache-control"]).toBe("no-store");
  });

  it("answers a wrong password with 401, WWW-Authenticate and the socket's message", async () => {
    const response = await rest(hub, "POST", "/api/auth/login", { json: { username: "bob", password: "wrong-password-1" } });
    expectError(response, 401, "invalid_credentials");
    expect(response.headers["www-authenticate"]).toBe('Bearer realm="pairgate"');
    await rest(hub, "POST", "/api/auth/login", { json: { username: "bob", password: STRONG_PASSWORD } }); // clears bob's count
  });

  it("answers a bad signature and a reused challenge with the socket's codes", async () => {
    const challenge = restData<{ challengeId: string; nonce: string }>(await rest(hub, "POST", "/api/auth/login", { json: { username: "bob", password: STRONG_PASSWORD } }));
    const wrongKey = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    expectError(await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: challenge.challengeId, signature: wrongKey } }), 401, "invalid_signature");
    const rightKey = signChallenge(bob.keys.privateKey, challenge.challengeId, challenge.nonce);
    expectError(await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: challenge.challengeId, signature: rightKey } }), 409, "challenge_used");
    expectError(await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: "no-such-challenge", signature: rightKey } }), 404, "challenge_not_found");
  });
});


describe("verification and password recovery routes", () => {
  it("resends a verification code, 3 a minute per account, counted with the socket's resends", async () => {
    const frank = newAccount("frank");
    expect((await rest(hub, "POST", "/api/account/register", { json: registration(frank) })).status).toBe(201);
    const first = await outboxCode(hub, frank.email, VERIFICATION_SUBJECT);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await rest(hub, "POST", "/api/account/resend-verification", { json: { username: "frank" } })).body).toEqual({ ok: true, data: { sent: true } });
    }
    const socket = await connectClient(hub);
    expect(await call(socket, "account:resend-verification", { username: "frank" })).toEqual({ ok: true, data: { sent: true } });
    const refused = await rest(hub, "POST", "/api/account/resend-verification", { json: { username: "frank" } });
    expectError(refused, 429, "rate_limited");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    expect(await call(socket, "account:resend-verification", { username: "frank" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    socket.disconnect();

    // The three resends are mailed in the background: the newest code is the last one to arrive.
    await waitForOutbox(hub, frank.email, VERIFICATION_SUBJECT, 4);
    const fresh = await outboxCode(hub, frank.email, VERIFICATION_SUBJECT, new Set([first]));
    expect((await rest(hub, "POST", "/api/account/verify-email", { json: { username: "frank", code: fresh } })).status).toBe(200);
  });

  it("answers password:forgot the same for an account and a stranger, and resets with the emailed code", async () => {
    const grace = newAccount("grace");
    await registerVerified(hub, grace);
    const { socket } = await logIn(hub, grace);
    const known = await rest(hub, "POST", "/api/password/forgot", { json: { login: "grace@example.test" } });
    const unknown = await rest(hub, "POST", "/api/password/forgot", { json: { login: "nobody@example.test" } });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(known.text).toBe(unknown.text);
    const code = await outboxCode(hub, grace.email, RESET_SUBJECT);

    const newPassword = "amber-falcon-meadow-93";
    expectError(await rest(hub, "POST", "/api/password/reset", { json: { username: "grace", code: "000000", newPassword } }), 401, "invalid_code");
    expectError(await rest(hub, "POST", "/api/password/reset", { json: { username: "grace", code, newPassword: "password" } }), 422, "weak_password");
    const ended = new Promise<PushPayload<"session:revoked">>((resolve) => socket.once("session:revoked", resolve));
    const reset = await rest(hub, "POST", "/api/password/reset", { json: { username: "grace", code, newPassword } });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ ok: true, data: { reset: true } });
    expect((await ended).reason).toBe("password_reset");
    expectError(await rest(hub, "POST", "/api/password/reset", { json: { username: "grace", code, newPassword } }), 401, "invalid_code");

    expectError(await rest(hub, "POST", "/api/auth/login", { json: { username: "grace", password: grace.password } }), 401, "invalid_credentials");
    expect(await restLogIn(hub, { ...grace, password: newPassword })).toEqual(expect.any(String));
  });

  it("asks for the device's code at login and at reset when the account has a paired device", async () => {
    const heidi = newAccount("heidi");
    await registerVerified(hub, heidi);
    const { socket } = await logIn(hub, heidi);
    const device = await pairDevice(hub, socket);
    socket.disconnect();

    const challenge = restData<{ challengeId: string; nonce: string; factors: string[] }>(
      await rest(hub, "POST", "/api/auth/login", { json: { username: "heidi", password: heidi.password } }),
    );
    expect(challenge.factors).toEqual(["signature", "otp"]);
    expect(challenge).not.toHaveProperty("numberMatch");
    const signature = signChallenge(heidi.keys.privateKey, challenge.challengeId, challenge.nonce);
    // The key proof asks the device and answers the number to show.
    const proof = restData<{ numberMatch?: string; devicesAsked: number; newKey: boolean }>(
      await rest(hub, "POST", "/api/auth/prove-key", { json: { challengeId: challenge.challengeId, signature } }),
    );
    expect(proof).toEqual({ numberMatch: expect.stringMatching(/^\d{2}$/), devicesAsked: 1, newKey: false });
    expectError(await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: challenge.challengeId, signature } }), 401, "otp_required");
    const session = await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: challenge.challengeId, signature, otp: device.nextCode() } });
    expect(session.status, session.text).toBe(200);

    await rest(hub, "POST", "/api/password/forgot", { json: { login: "heidi" } });
    const code = await outboxCode(hub, heidi.email, RESET_SUBJECT);
    const newPassword = "copper-willow-harbor-58";
    expectError(await rest(hub, "POST", "/api/password/reset", { json: { username: "heidi", code, newPassword } }), 401, "otp_required");
    const reset = await rest(hub, "POST", "/api/password/reset", { json: { username: "heidi", code, newPassword, otp: device.nextCode() } });
    expect(reset.body, reset.text).toEqual({ ok: true, data: { reset: true } });
  });
});


describe("bearer routes", () => {
  it("refuses a missing token with 401 and a bare Bearer challenge", async () => {
    for (const [method, path] of [["GET", "/api/me"], ["GET", "/api/sessions"], ["POST", "/api/auth/logout"], ["DELETE", "/api/sessions/abc"]] as const) {
      const response = await rest(hub, method, path);
      expectError(response, 401, "unauthorized");
      expect(response.headers["www-authenticate"]).toBe('Bearer realm="pairgate"');
    }
  });

  it("takes a token made over REST on a socket, and a socket's token over REST", async () => {
    const restToken = await restLogIn(hub, alice);
    const socket = await connectClient(hub, { token: restToken });
    expect(expectOk(await call(socket, "account:me", {})).user.username).toBe("alice");
    socket.disconnect();

    const { token: socketToken, socket: loginSocket } = await logIn(hub, bob);
    loginSocket.disconnect();
    const me = await rest(hub, "GET", "/api/me", { token: socketToken });
    expect(restData<{ user: { username: string } }>(me).user.username).toBe("bob");
  });

  it("lists sessions, and revoking one over REST ends its socket", async () => {
    const token = await restLogIn(hub, alice);
    const { socket, token: socketToken } = await logIn(hub, alice);
    const socketSession = expectOk(await call(socket, "account:me", {})).session.id;

    const listed = restData<{ sessions: { id: string; current: boolean; clientName: string | null }[] }>(await rest(hub, "GET", "/api/sessions", { token }));
    expect(listed.sessions.map((session) => session.id)).toContain(socketSession);
    expect(listed.sessions.filter((session) => session.current)).toHaveLength(1);
    expect(listed.sessions.find((session) => session.current)?.clientName).toBe("rest-test");

    const revoked = new Promise<PushPayload<"session:revoked">>((resolve) => socket.once("session:revoked", resolve));
    const response = await rest(hub, "DELETE", `/api/sessions/${socketSession}`, { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, data: { revoked: true } });
    expect(await revoked).toEqual({ sessionId: socketSession, reason: "revoked" });
    expectError(await rest(hub, "GET", "/api/me", { token: socketToken }), 401, "unauthorized");

    expectError(await rest(hub, "DELETE", `/api/sessions/${socketSession}`, { token }), 404, "session_not_found");
    const badId = await rest(hub, "DELETE", "/api/sessions/not.an.id", { token });
    expectError(badId, 400, "invalid_request");
    expect(badId.text).toContain("sessionId");
  });

  it("logs out: the token stops working on both transports", async () => {
    const token = await restLogIn(hub, bob);
    const socket = await connectClient(hub, { token });
    const ended = new Promise<PushPayload<"session:revoked">>((resolve) => socket.once("session:revoked", resolve));
    const response = await rest(hub, "POST", "/api/auth/logout", { token });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ ok: true, data: { loggedOut: true } });
    expect((await ended).reason).toBe("logout");
    expectError(await rest(hub, "GET", "/api/me", { token }), 401, "unauthorized");
    await expect(connectClient(hub, { token })).rejects.toMatchObject({ data: { code: "invalid_token" } });
  });
});

