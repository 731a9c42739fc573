import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { generateHotp } from "#otp";
import type { PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, openPushedLogin, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, type TestDevice } from "./support/device.ts";
import { getHealth } from "./support/health.ts";
import type { TestHub } from "./support/hub.ts";
import { launchHubProcess, type HubProcess } from "./support/hub-process.ts";
import { dropPostgresTestDatabase, postgresTestDatabase } from "./support/test-database.ts";

/**
 * Three real hub processes (server/main.ts, as `npm start` runs it) on their own ports, sharing
 * one PostgreSQL database, one Redis, one hub key and one certificate folder: scale-out as
 * docs/SCALING.md describes it. Redis and PostgreSQL must be running; this test never skips.
 */
const REDIS_URL = process.env.PAIRGATE_TEST_REDIS_URL || "redis://127.0.0.1:6379";
// A prefix of this run's own: other runs, and anything else in that Redis, are left alone.
const REDIS_PREFIX = `pairgate-test-${randomBytes(4).toString("hex")}`;

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-multi-"));
let databaseUrl: string | undefined;
let a: HubProcess;
let b: HubProcess;
let c: HubProcess;
const hubA = () => a.asTestHub();
const hubB = () => b.asTestHub();
const hubC = () => c.asTestHub();

beforeAll(async () => {
  await assertRedisReachable();
  databaseUrl = await postgresTestDatabase(path.join(root, "shared"));
  const shared = {
    DATABASE_URL: databaseUrl,
    REDIS_URL,
    PAIRGATE_REDIS_PREFIX: REDIS_PREFIX,
    PAIRGATE_SECRET_KEY: randomBytes(32).toString("base64"),
    PAIRGATE_CERT_DIR: path.join(root, "certs"),
    PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false",
    PAIRGATE_LOG_LEVEL: "info",
  };
  const start = (name: string) => launchHubProcess({ ...shared, PAIRGATE_DATA_DIR: path.join(root, name) }, root);
  // The first one makes the certificates and applies the migrations; the others find them.
  a = await start("a");
  [b, c] = await Promise.all([start("b"), start("c")]);
  // Each process starts its password worker on first use, which takes seconds on a busy machine:
  // do it here, with time to spare, rather than inside the first test's acks.
  await Promise.all([hubA(), hubB(), hubC()].map(warmUp));
}, 180_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  if (databaseUrl) await dropPostgresTestDatabase(databaseUrl);
  await deleteRedisKeys(`${REDIS_PREFIX}:*`);
  rmSync(root, { recursive: true, force: true });
});

// What the processes logged, for a test that failed: the cause is often on another process.
afterEach(({ task }) => {
  if (task.result?.state !== "fail") return;
  for (const [name, hub] of [["A", a], ["B", b], ["C", c]] as const) console.error(`--- hub process ${name} ---\n${hub?.output().slice(-6_000)}`);
});

// Generous limits: three hubs, their workers and the test share this machine's cores.
describe("three hub processes sharing PostgreSQL and Redis", { timeout: 90_000 }, () => {
  it("each reports both dependencies reachable", async () => {
    for (const hub of [a, b, c]) {
      const { status, body } = await getHealth(hub.url, hub.ca);
      expect(status).toBe(200);
      expect(body).toMatchObject({ status: "ok", database: { reachable: true }, redis: { reachable: true } });
    }
  });

  it("pushes a challenge raised by a client on A to the device on B (and C); the approval there completes the login on A", async () => {
    const alice = newAccount("alice");
    await register(hubA(), alice);
    const { socket: owner } = await logIn(hubA(), alice);
    const bound = nextPush<PushPayload<"device:bound">>(owner, "device:bound");
    const device = await pairDevice(hubB(), owner, "phone");
    expect((await within(bound, "device:bound on A")).device.id).toBe(device.deviceId);

    const onB = await connectDevice(hubB(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const onC = await connectDevice(hubC(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const client = await connectClient(hubA());
    const pushedToB = nextPush<{ challengeId: string }>(onB, "challenge:new");
    const pushedToC = nextPush<{ challengeId: string }>(onC, "challenge:new");
    const challenge = await openPushedLogin(client, alice);
    expect((await within(pushedToB, "challenge:new on B")).challengeId).toBe(challenge.challengeId);
    expect((await within(pushedToC, "challenge:new on C")).challengeId).toBe(challenge.challengeId);

    const approved = nextPush<{ challengeId: string }>(client, "challenge:approved");
    const closedOnC = nextPush<{ challengeId: string; outcome: string }>(onC, "challenge:closed");
    expectOk(await deviceCall(onB, "challenge:approve", { challengeId: challenge.challengeId, otp: device.nextCode(), numberMatch: challenge.numberMatch! }));
    expect((await within(approved, "challenge:approved on A")).challengeId).toBe(challenge.challengeId);
    expect(await within(closedOnC, "challenge:closed on C")).toMatchObject({ challengeId: challenge.challengeId, outcome: "approved" });

    const signature = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    const completed = expectOk(await call(client, "auth:complete", { challengeId: challenge.challengeId, signature }));
    expect(completed.user.username).toBe(alice.username);
    for (const socket of [owner, client, onB, onC]) socket.disconnect();
  });

  it("holds an OTP lockout reached through A (10 wrong codes) on B", async () => {
    const bob = newAccount("bob");
    const { device, owner } = await accountWithDevice(bob);
    const onA = await connectDevice(hubA(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const challenge = await openChallenge(hubA(), bob);
    const wrong = wrongCode(device);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const refused = await deviceCall(onA, "challenge:approve", { challengeId: challenge.challengeId, otp: wrong, numberMatch: challenge.numberMatch });
      expect(refused).toMatchObject({ ok: false, error: { code: attempt < 10 ? "invalid_otp" : "otp_locked" } });
    }

    const onB = await connectDevice(hubB(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const right = device.codeAt(device.counter);
    const locked = await deviceCall(onB, "challenge:approve", { challengeId: challenge.challengeId, otp: right, numberMatch: challenge.numberMatch });
    expect(locked).toMatchObject({ ok: false, error: { code: "otp_locked", retryAfterSeconds: expect.any(Number) } });
    for (const socket of [owner, onA, onB, challenge.client]) socket.disconnect();
  });

  it("holds a login rate limit reached through A on B, even for the right password", async () => {
    const carol = newAccount("carol");
    await register(hubA(), carol);
    const onA = await connectClient(hubA());
    for (let attempt = 1; attempt <= 10; attempt++) {
      const refused = await call(onA, "auth:login", { username: carol.username, password: "not-carol's-password" });
      expect(refused).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    }
    const onB = await connectClient(hubB());
    const limited = await call(onB, "auth:login", { username: carol.username, password: carol.password });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) } });
    onA.disconnect();
    onB.disconnect();
  });

  it("disconnects the socket on A when its session is revoked through B", async () => {
    const dave = newAccount("dave");
    await register(hubA(), dave);
    const { socket: onA } = await logIn(hubA(), dave);
    const { socket: onB } = await logIn(hubB(), dave);
    const { sessions } = expectOk(await call(onB, "session:list", {}));
    const sessionOfA = sessions.find((session) => !session.current)!;

    const revoked = nextPush<PushPayload<"session:revoked">>(onA, "session:revoked");
    const disconnected = new Promise<string>((resolve) => onA.once("disconnect", resolve));
    expectOk(await call(onB, "session:revoke", { sessionId: sessionOfA.id }));
    expect(await within(revoked, "session:revoked on A")).toEqual({ sessionId: sessionOfA.id, reason: "revoked" });
    expect(await within(disconnected, "the disconnection of the socket on A")).toBe("io server disconnect");
    expect(onB.connected).toBe(true);
    onB.disconnect();
  });

  it("closes the device's socket on C when the device is unpaired through A", async () => {
    const erin = newAccount("erin");
    const { device, owner } = await accountWithDevice(erin);
    const onC = await connectDevice(hubC(), { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const told = nextPush<{ deviceId: string }>(onC, "device:revoked");
    const disconnected = new Promise<string>((resolve) => onC.once("disconnect", resolve));
    expectOk(await call(owner, "device:revoke", { deviceId: device.deviceId }));
    expect(await within(told, "device:revoked on C")).toEqual({ deviceId: device.deviceId });
    expect(await within(disconnected, "the disconnection of the device socket on C")).toBe("io server disconnect");
    owner.disconnect();
  });
});

async function accountWithDevice(account: TestAccount) {
  await register(hubA(), account);
  const { socket: owner } = await logIn(hubA(), account);
  const device = await pairDevice(hubA(), owner);
  return { owner, device };
}

/** The client stays connected: a challenge whose client has gone is closed. */
async function openChallenge(hub: TestHub, account: TestAccount): Promise<{ challengeId: string; numberMatch: string; client: TestSocket }> {
  const client = await connectClient(hub);
  const challenge = await openPushedLogin(client, account);
  return { challengeId: challenge.challengeId, numberMatch: challenge.numberMatch!, client };
}

async function warmUp(hub: TestHub): Promise<void> {
  const socket = await connectClient(hub);
  await socket.timeout(60_000).emitWithAck("auth:login", { username: "warm-up", password: "not-a-real-password" });
  socket.disconnect();
}

/** What another process should have pushed by now: fails naming it, rather than at the test's timeout. */
function within<T>(pushed: Promise<T>, what: string, ms = 30_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not arrive within ${ms} ms`)), ms);
  });
  return Promise.race([pushed, late]).finally(() => clearTimeout(timer));
}

/** A code the device will not produce within the hub's look-ahead and resync windows. */
function wrongCode(device: TestDevice): string {
  const reachable = new Set(Array.from({ length: 120 }, (_, offset) => generateHotp(device.secret, device.counter + offset)));
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, "0");
    if (!reachable.has(code)) return code;
  }
}

async function assertRedisReachable(): Promise<void> {
  const client = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    const { host, port } = new URL(REDIS_URL);
    throw new Error(
      `Redis at ${host}:${port || 6379} is not reachable: start it with \`redis-server --daemonize yes\` ` +
        "(Debian: `service redis-server start`), or point PAIRGATE_TEST_REDIS_URL at a Redis this test may write keys to. " +
        `The multi-process test never skips. (${error instanceof Error ? error.message : String(error)})`,
    );
  } finally {
    client.disconnect();
  }
}

async function deleteRedisKeys(pattern: string): Promise<void> {
  const client = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  try {
    for await (const keys of client.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await client.del(...keys);
    }
  } finally {
    client.disconnect();
  }
}
