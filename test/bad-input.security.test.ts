import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_MESSAGE_BYTES } from "#protocol";
import { call, callRaw, connectClient, connectSharedClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let socket: TestSocket;
const MARKER = "s3cret-marker-value";

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { eventsPerSocket: { points: 1000, durationSeconds: 10 } } });
  socket = await connectSharedClient(hub);
});
afterAll(async () => {
  socket.disconnect();
  await hub.destroy();
});

describe("payloads that fail their schema never reach the domain", () => {
  it.each([
    ["null", null],
    ["a string", MARKER],
    ["a number", 42],
    ["an array", [MARKER]],
    ["a boolean", true],
  ])("a payload that is %s answers invalid_request", async (_label, payload) => {
    const ack = await callRaw(socket, "auth:login", payload);
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_request", message: "The payload must be a JSON object." } });
  });

  it("no payload at all answers invalid_request", async () => {
    const ack = await callRaw(socket, "auth:login");
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });

  it("wrong field types are reported per field", async () => {
    const ack = await callRaw(socket, "auth:login", { username: 5, password: { nested: MARKER } });
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe("invalid_request");
    expect(ack.error.details?.map((detail) => detail.path).sort()).toEqual(["password", "username"]);
    expect(JSON.stringify(ack)).not.toContain(MARKER);
  });

  it("a huge string is refused by its bound, not processed", async () => {
    const ack = await callRaw(socket, "auth:login", { username: "alice", password: "x".repeat(50_000) });
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_request", details: [{ path: "password" }] } });
  });

  it("__proto__ keys do not pollute anything", async () => {
    const payload = JSON.parse(`{"username":"alice","password":"whatever-pass","__proto__":{"polluted":true,"role":"admin"}}`);
    const ack = await callRaw(socket, "auth:login", payload);
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("an unknown event answers unknown_event", async () => {
    expect(await callRaw(socket, "account:drop-tables", {})).toMatchObject({ ok: false, error: { code: "unknown_event" } });
    expect(await callRaw(socket, "__proto__", {})).toMatchObject({ ok: false, error: { code: "unknown_event" } });
    expect(await callRaw(socket, "constructor", {})).toMatchObject({ ok: false, error: { code: "unknown_event" } });
  });

  it("an event without an ack callback closes that socket; the hub keeps serving", async () => {
    const careless = (await connectClient(hub)) as unknown as Socket;
    const closed = new Promise<string>((resolve) => careless.once("disconnect", resolve));
    careless.emit("auth:login", { username: "alice", password: MARKER });
    expect(await closed).toBe("io server disconnect");
    expect(await callRaw(socket, "auth:login", null)).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    expect(hub.logs.join("")).toContain("event without ack callback: closing the socket");
  });

  it("an oversized message closes only that connection; the hub keeps serving", async () => {
    const victim = await connectClient(hub);
    const closed = new Promise<string>((resolve) => victim.once("disconnect", resolve));
    victim.emit("auth:login", { username: "alice", password: "y".repeat(MAX_MESSAGE_BYTES + 1) }, () => {});
    expect(await closed).toMatch(/transport (close|error)/);
    const healthy = await connectClient(hub);
    expect(await callRaw(healthy, "auth:login", null)).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    healthy.disconnect();
  });

  it("the log names the event but holds none of the content sent", () => {
    const text = hub.logs.join("");
    expect(text).not.toContain(MARKER);
    expect(text).not.toContain("drop-tables");
  });
});

describe("per-socket event budget", () => {
  it("answers rate_limited with a retry time once the budget is spent", async () => {
    const limited = await startTestHub({ rateLimits: { eventsPerSocket: { points: 5, durationSeconds: 60 } } });
    const s = await connectClient(limited);
    const answers = [];
    for (let i = 0; i < 7; i += 1) answers.push(await callRaw(s, "auth:login", null));
    expect(answers.slice(0, 5).every((ack) => !ack.ok && ack.error.code === "invalid_request")).toBe(true);
    expect(answers[6]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    const last = answers[6]!;
    if (!last.ok) expect(last.error.retryAfterSeconds).toBeGreaterThan(0);
    s.disconnect();
    await limited.destroy();
  });
});

describe("login rate limits", () => {
  it("locks an account after 10 failures, even with the right password, across sockets", async () => {
    const limited = await startTestHub();
    const victim = newAccount("victim");
    await register(limited, victim);
    const attacker = await connectClient(limited);
    for (let i = 0; i < 10; i += 1) {
      expect(await call(attacker, "auth:login", { username: "victim", password: `guess-number-${i}` })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    }
    const other = await connectClient(limited);
    expect(await call(other, "auth:login", { username: "victim", password: victim.password })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    attacker.disconnect();
    other.disconnect();
    await limited.destroy();
  });

  it("limits failures per address across accounts", async () => {
    const limited = await startTestHub({ rateLimits: { loginFailuresPerAddress: { points: 3, durationSeconds: 60 } } });
    const s = await connectClient(limited);
    for (let i = 0; i < 3; i += 1) await call(s, "auth:login", { username: `user${i}`, password: "some-password" });
    expect(await call(s, "auth:login", { username: "user9", password: "some-password" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    s.disconnect();
    await limited.destroy();
  });

  it("a success clears the account's failure count", async () => {
    const limited = await startTestHub();
    const person = newAccount("person");
    await register(limited, person);
    const s = await connectClient(limited);
    for (let round = 0; round < 3; round += 1) {
      for (let i = 0; i < 9; i += 1) await call(s, "auth:login", { username: "person", password: `typo-${i}-x` });
      expectOk(await call(s, "auth:login", { username: "person", password: person.password }));
    }
    s.disconnect();
    await limited.destroy();
  });
});

describe("secrets stay out of the log", () => {
  it("a full journey logs no password, token or signature", async () => {
    const dora = newAccount("dora");
    await register(hub, dora);
    const { socket: s, token } = await logIn(hub, dora);
    await call(s, "password:change", { currentPassword: dora.password, newPassword: "copper-lantern-meadow-19" });
    s.disconnect();
    const text = hub.logs.join("");
    expect(text).not.toContain(dora.password);
    expect(text).not.toContain("copper-lantern-meadow-19");
    expect(text).not.toContain(token);
  });

  it("a plain socket.io client without TLS trust is refused (verification stays on)", async () => {
    const untrusting = io(`${hub.url}/client`, { transports: ["websocket"], reconnection: false, forceNew: true });
    const error = await new Promise<Error>((resolve) => untrusting.once("connect_error", resolve));
    expect(String(error)).toMatch(/websocket error|self.signed|certificate/i);
    untrusting.close();
  });
});
