import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { REST_BODY_MAX_BYTES } from "../server/transport/http/rest-api.ts";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, STRONG_PASSWORD, type TestAccount } from "./support/client.ts";
import { pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { outboxCode, rest, restData, type RestResponse } from "./support/rest.ts";

let hub: TestHub;
const alice = newAccount("alice");
const bob = newAccount("bob");
const SECRET_IN_BODY = "never-log-me-7Qx";

beforeAll(async () => {
  hub = await startTestHub({
    // As a hub runs with no settings: accounts confirm their email before the first login.
    env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" },
    rateLimits: {
      // Room for the whole file from one address; the budget itself is tested on a hub of its own.
      eventsPerSocket: { points: 10_000, durationSeconds: 10 },
      loginFailuresPerAccountAddress: { points: 3, durationSeconds: 900 },
      // Every request here comes from 127.0.0.1: the per-account mail limits are the ones under test.
      verificationMailsPerAddress: { points: 1000, durationSeconds: 60 },
      resetMailsPerAddress: { points: 1000, durationSeconds: 60 },
    },
  });
  for (const account of [bob]) {
    await register(hub, account);
    await verifyEmail(account);
  }
});
afterAll(() => hub?.destroy());

const registration = (account: TestAccount) => ({ username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem });

const VERIFICATION_SUBJECT = "Confirm your PairGate email address";
const RESET_SUBJECT = "Reset your PairGate password";

/** Confirms the address with the code from the outbox, over REST. */
async function verifyEmail(account: TestAccount): Promise<void> {
  const code = await outboxCode(hub, account.email, VERIFICATION_SUBJECT);
  const response = await rest(hub, "POST", "/api/account/verify-email", { json: { username: account.username, code } });
  expect(response.body, response.text).toEqual({ ok: true, data: { verified: true } });
}

async function registerVerified(account: TestAccount): Promise<void> {
  expect((await rest(hub, "POST", "/api/account/register", { json: registration(account) })).status).toBe(201);
  await verifyEmail(account);
}

/** Password, then signature, over REST: what an external client does. */
async function restLogIn(account: TestAccount): Promise<string> {
  const challenge = restData<{ challengeId: string; nonce: string }>(
    await rest(hub, "POST", "/api/auth/login", { json: { username: account.username, password: account.password } }),
  );
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const session = await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: challenge.challengeId, signature, clientName: "rest-test" } });
  expect(session.status).toBe(200);
  return restData<{ token: string }>(session).token;
}

function expectError(response: RestResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toMatchObject({ ok: false, error: { code } });
  expect(typeof (response.body as { error: { message: unknown } }).error.message).toBe("string");
}

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
    await verifyEmail(alice);
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

  it("refuses fields of the wrong type with 400 and the schema's details, as the socket does", async () => {
    const payload = { username: 5, email: "not-an-address", password: "", publicKey: ["x"] };
    const response = await rest(hub, "POST", "/api/account/register", { json: payload });
    expectError(response, 400, "invalid_request");
    const paths = (response.body as { error: { details: { path: string }[] } }).error.details.map((detail) => detail.path);
    expect(paths.sort()).toEqual(["email", "password", "publicKey", "username"]);

    const socket = await connectClient(hub);
    const viaSocket = await call(socket, "account:register", payload as never);
    socket.disconnect();
    expect(viaSocket).toEqual(response.body);
  });

  it("refuses a body that is not a JSON object, and a POST with no body is an empty payload", async () => {
    const array = await rest(hub, "POST", "/api/auth/login", { json: [{ username: "alice" }] });
    expectError(array, 400, "invalid_request");
    expect(array.text).toContain("must be a JSON object");
    const scalar = await rest(hub, "POST", "/api/auth/login", { raw: '"alice"', headers: { "content-type": "application/json" } });
    expectError(scalar, 400, "invalid_request");
    const empty = await rest(hub, "POST", "/api/auth/login", { headers: { "content-length": "0" } });
    expectError(empty, 400, "invalid_request");
    expect(empty.body).toEqual(await rest(hub, "POST", "/api/auth/login").then((chunked) => chunked.body));
    expect((empty.body as { error: { details: { path: string }[] } }).error.details.map((detail) => detail.path).sort()).toEqual(["password", "username"]);
  });

  it("answers malformed JSON with 400 invalid_request, and never logs the body", async () => {
    const raw = `{"username": "alice", "password": "${SECRET_IN_BODY}"`;
    const response = await rest(hub, "POST", "/api/auth/login", { raw, headers: { "content-type": "application/json" } });
    expectError(response, 400, "invalid_request");
    expect(response.text).not.toContain(SECRET_IN_BODY);
    expect(hub.logs.join("")).not.toContain(SECRET_IN_BODY);
  });

  it("answers a body of another content type with 415", async () => {
    const form = await rest(hub, "POST", "/api/auth/login", { raw: "username=alice&password=x", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expectError(form, 415, "invalid_request");
    const text = await rest(hub, "POST", "/api/auth/login", { raw: '{"username":"alice"}', headers: { "content-type": "text/plain" } });
    expectError(text, 415, "invalid_request");
    expect(text.headers["cache-control"]).toBe("no-store");
    const untyped = await rest(hub, "POST", "/api/auth/login", { raw: '{"username":"alice"}' });
    expectError(untyped, 415, "invalid_request");
    const gzipped = await rest(hub, "POST", "/api/auth/login", {
      raw: gzipSync('{"username":"alice","password":"x"}'),
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
    });
    expectError(gzipped, 415, "invalid_request");
  });

  it(`answers a body over ${REST_BODY_MAX_BYTES} bytes with 413 in the ack shape, and takes one just under`, async () => {
    const padding = (bytes: number) => ({ username: "alice", password: "p".repeat(8), clientName: "x", filler: "f".repeat(bytes) });
    const tooLarge = await rest(hub, "POST", "/api/auth/login", { json: padding(REST_BODY_MAX_BYTES) });
    expectError(tooLarge, 413, "invalid_request");
    const fits = await rest(hub, "POST", "/api/auth/login", { json: padding(REST_BODY_MAX_BYTES - 200) });
    expect(fits.status).not.toBe(413);
  });

  it("answers an unknown route with 404 JSON, and a known path's other methods with 405 and Allow", async () => {
    const unknown = await rest(hub, "GET", "/api/teleport");
    expectError(unknown, 404, "not_found");
    expect(unknown.headers["cache-control"]).toBe("no-store");
    expectError(await rest(hub, "POST", "/api/Auth/Login", { json: {} }), 404, "not_found");
    const wrongMethod = await rest(hub, "GET", "/api/auth/login");
    expectError(wrongMethod, 405, "invalid_request");
    expect(wrongMethod.headers.allow).toBe("POST");
    expect((await rest(hub, "PUT", "/api/sessions")).headers.allow).toBe("GET");
    expectError(await rest(hub, "GET", "/nowhere"), 404, "not_found");
  });

  it("logs in with password and key signature, and the session is the account's", async () => {
    const token = await restLogIn(alice);
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

    const fresh = await outboxCode(hub, frank.email, VERIFICATION_SUBJECT, new Set([first]));
    expect((await rest(hub, "POST", "/api/account/verify-email", { json: { username: "frank", code: fresh } })).status).toBe(200);
  });

  it("answers password:forgot the same for an account and a stranger, and resets with the emailed code", async () => {
    const grace = newAccount("grace");
    await registerVerified(grace);
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
    expect((await ended).reason).toBe("password_changed");
    expectError(await rest(hub, "POST", "/api/password/reset", { json: { username: "grace", code, newPassword } }), 401, "invalid_code");

    expectError(await rest(hub, "POST", "/api/auth/login", { json: { username: "grace", password: grace.password } }), 401, "invalid_credentials");
    expect(await restLogIn({ ...grace, password: newPassword })).toEqual(expect.any(String));
  });

  it("asks for the device's code at login and at reset when the account has a paired device", async () => {
    const heidi = newAccount("heidi");
    await registerVerified(heidi);
    const { socket } = await logIn(hub, heidi);
    const device = await pairDevice(hub, socket);
    socket.disconnect();

    const challenge = restData<{ challengeId: string; nonce: string; factors: string[]; numberMatch?: string }>(
      await rest(hub, "POST", "/api/auth/login", { json: { username: "heidi", password: heidi.password } }),
    );
    expect(challenge.factors).toEqual(["signature", "otp"]);
    expect(challenge.numberMatch).toMatch(/^\d{2}$/);
    const signature = signChallenge(heidi.keys.privateKey, challenge.challengeId, challenge.nonce);
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

  it("refuses an unknown or expired token with 401 invalid_token, and a malformed header with 400", async () => {
    const unknown = await rest(hub, "GET", "/api/me", { token: "A".repeat(43) });
    expectError(unknown, 401, "unauthorized");
    expect(unknown.headers["www-authenticate"]).toMatch(/^Bearer realm="pairgate", error="invalid_token"/);

    const token = await restLogIn(bob);
    const { session } = restData<{ session: { id: string } }>(await rest(hub, "GET", "/api/me", { token }));
    await hub.hub.context.db.session.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await rest(hub, "GET", "/api/me", { token });
    expectError(expired, 401, "unauthorized");
    expect(expired.text).toContain("expired");

    for (const header of ["Basic YWxpY2U6eA==", "Bearer", "Bearer two words", `Bearer ${"A".repeat(500)}`]) {
      const malformed = await rest(hub, "GET", "/api/me", { headers: { authorization: header } });
      expectError(malformed, 400, "invalid_request");
      expect(malformed.headers["www-authenticate"]).toContain('error="invalid_request"');
    }
  });

  it("takes a token made over REST on a socket, and a socket's token over REST", async () => {
    const restToken = await restLogIn(alice);
    const socket = await connectClient(hub, { token: restToken });
    expect(expectOk(await call(socket, "account:me", {})).user.username).toBe("alice");
    socket.disconnect();

    const { token: socketToken, socket: loginSocket } = await logIn(hub, bob);
    loginSocket.disconnect();
    const me = await rest(hub, "GET", "/api/me", { token: socketToken });
    expect(restData<{ user: { username: string } }>(me).user.username).toBe("bob");
  });

  it("lists sessions, and revoking one over REST ends its socket", async () => {
    const token = await restLogIn(alice);
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
    const token = await restLogIn(bob);
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

describe("rate limits shared with the socket path", () => {
  it("counts REST failures against the socket, and socket failures against REST", async () => {
    const carol = newAccount("carol");
    await register(hub, carol);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expectError(await rest(hub, "POST", "/api/auth/login", { json: { username: "carol", password: "wrong-password-1" } }), 401, "invalid_credentials");
    }
    const socket = await connectClient(hub);
    const refused = await call(socket, "auth:login", { username: "carol", password: STRONG_PASSWORD });
    expect(refused).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) } });

    const dave = newAccount("dave");
    await register(hub, dave);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect(await call(socket, "auth:login", { username: "dave", password: "wrong-password-1" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    }
    socket.disconnect();
    const response = await rest(hub, "POST", "/api/auth/login", { json: { username: "dave", password: STRONG_PASSWORD } });
    expectError(response, 429, "rate_limited");
    const retryAfter = Number(response.headers["retry-after"]);
    expect(retryAfter).toBe((response.body as { error: { retryAfterSeconds: number } }).error.retryAfterSeconds);
    expect(retryAfter).toBeGreaterThan(0);
  });

  it("takes the address from the TCP peer, not from X-Forwarded-For", async () => {
    const erin = newAccount("erin");
    await register(hub, erin);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const headers = { "x-forwarded-for": `203.0.113.${attempt}`, forwarded: `for=203.0.113.${attempt}` };
      await rest(hub, "POST", "/api/auth/login", { json: { username: "erin", password: "wrong-password-1" }, headers });
    }
    const response = await rest(hub, "POST", "/api/auth/login", { json: { username: "erin", password: STRONG_PASSWORD }, headers: { "x-forwarded-for": "198.51.100.7" } });
    expectError(response, 429, "rate_limited");
  });
});

describe("the request budget per address", () => {
  let small: TestHub;
  beforeAll(async () => {
    small = await startTestHub({ rateLimits: { eventsPerSocket: { points: 3, durationSeconds: 60 } } });
  });
  afterAll(() => small?.destroy());

  it("answers 429 with Retry-After past the budget, before looking at the token", async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await rest(small, "GET", "/api/me", { token: "A".repeat(43) })).status).toBe(401);
    const refused = await rest(small, "GET", "/api/me", { token: "A".repeat(43) });
    expectError(refused, 429, "rate_limited");
    expect(Number(refused.headers["retry-after"])).toBeGreaterThan(0);
    // A socket keeps a budget of its own.
    const socket = await connectClient(small);
    expect(await call(socket, "account:me", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    socket.disconnect();
  });
});

it("never writes a password or token into the log", () => {
  const log = hub.logs.join("");
  expect(log).not.toContain(STRONG_PASSWORD);
  expect(log).not.toContain(SECRET_IN_BODY);
  expect(log).not.toMatch(/"authorization"/i);
});
