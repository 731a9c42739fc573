import { gzipSync } from "node:zlib";
import { SESSION_ABSOLUTE_TTL_SECONDS } from "#protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_BODY_MAX_BYTES } from "../server/transport/http/rest-api.ts";
import { call, connectClient, newAccount, register, STRONG_PASSWORD } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { expectError, registerVerified, rest, restData, restLogIn } from "./support/rest.ts";

/** The REST mirror against bad input and abuse: bodies, types, tokens, rate limits, logs. */

let hub: TestHub;
const bob = newAccount("bob");
const SECRET_IN_BODY = "never-log-me-7Qx";

beforeAll(async () => {
  hub = await startTestHub({
    env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" },
    rateLimits: {
      // Room for the whole file from one address; the budget itself is tested on a hub of its own.
      eventsPerSocket: { points: 10_000, durationSeconds: 10 },
      loginFailuresPerAccountAddress: { points: 3, durationSeconds: 900 },
    },
  });
  await registerVerified(hub, bob);
});
afterAll(() => hub?.destroy());

describe("bodies", () => {
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
});

describe("bearer tokens", () => {
  it("refuses an unknown or expired token with 401 invalid_token, and a malformed header with 400", async () => {
    const unknown = await rest(hub, "GET", "/api/me", { token: "A".repeat(43) });
    expectError(unknown, 401, "unauthorized");
    expect(unknown.headers["www-authenticate"]).toMatch(/^Bearer realm="pairgate", error="invalid_token"/);

    const token = await restLogIn(hub, bob);
    restData(await rest(hub, "GET", "/api/me", { token }));
    hub.clock.advance(SESSION_ABSOLUTE_TTL_SECONDS * 1000);
    const expired = await rest(hub, "GET", "/api/me", { token });
    expectError(expired, 401, "unauthorized");
    expect(expired.text).toContain("expired");

    for (const header of ["Basic YWxpY2U6eA==", "Bearer", "Bearer two words", `Bearer ${"A".repeat(500)}`]) {
      const malformed = await rest(hub, "GET", "/api/me", { headers: { authorization: header } });
      expectError(malformed, 400, "invalid_request");
      expect(malformed.headers["www-authenticate"]).toContain('error="invalid_request"');
    }
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
