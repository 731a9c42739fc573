import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { eventually, getHealth } from "./support/health.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { startThrowawayRedis, type ThrowawayRedis } from "./support/redis-server.ts";

// A redis-server of this file's own, so that stopping it disturbs no other test.
let redis: ThrowawayRedis;
// Two hub processes' worth of hub, in this process: same data folder (database, hub key,
// certificates), same Redis.
let hub: TestHub;
let other: TestHub;
const carol = newAccount("carol");

beforeAll(async () => {
  redis = await startThrowawayRedis();
  const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-redis-outage-"));
  hub = await startTestHub({ root, env: { REDIS_URL: redis.url } });
  other = await startTestHub({ root, env: { REDIS_URL: redis.url } });
  await register(hub, carol);
});
afterAll(async () => {
  await other?.stop();
  await hub?.destroy();
  await redis?.kill();
});

const wrongLogin = (socket: TestSocket) => call(socket, "auth:login", { username: "carol", password: "not-the-password-at-all" });
async function currentSession(socket: TestSocket): Promise<{ id: string }> {
  return expectOk(await call(socket, "session:list", {})).sessions.find((session) => session.current)!;
}

const logLines = (pattern: RegExp) => hub.logs.filter((line) => pattern.test(line));

describe("with Redis reachable", () => {
  it("reports it in /api/health", async () => {
    const { status, body } = await getHealth(hub.url, hub.ca);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ok", database: { reachable: true }, redis: { reachable: true } });
  });

  it("keeps the login limits in Redis, under the configured prefix", async () => {
    const socket = await connectClient(hub);
    expect(await wrongLogin(socket)).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    socket.disconnect();
    const keys = spawnSync("redis-cli", ["-p", String(redis.port), "--scan", "--pattern", "pairgate:login-fail-*"], { encoding: "utf8" }).stdout;
    expect(keys).toContain("pairgate:login-fail-account:carol");
  });
});

describe("when Redis goes away and comes back", () => {
  it("refuses rate-limited events with unavailable, reports degraded health, logs once, and recovers by itself", async () => {
    const { socket } = await logIn(hub, carol);
    const anonymous = await connectClient(hub);
    await redis.kill();

    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await wrongLogin(anonymous);
      expect(refused).toMatchObject({ ok: false, error: { code: "unavailable", message: expect.stringMatching(/Redis/) } });
    }
    const { status, body } = await getHealth(hub.url, hub.ca);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "degraded", database: { reachable: true }, redis: { reachable: false } });
    // Events that need no shared limit still work: the per-socket budget stays in this process.
    expect(expectOk(await call(socket, "account:me", {})).user.username).toBe("carol");
    expect(logLines(/Redis is unreachable/)).toHaveLength(1);
    expect(logLines(/"event handler failed"/)).toEqual([]);

    await redis.restart();
    await eventually("health ok again", async () => (await getHealth(hub.url, hub.ca)).status === 200);
    expect(logLines(/Redis is reachable again/)).toHaveLength(1);
    expect(await wrongLogin(anonymous)).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    anonymous.disconnect();
    socket.disconnect();
  });

  it("refuses while Redis is paused rather than wait for ever, and counts again after", async () => {
    const anonymous = await connectClient(hub);
    redis.pause(3_000);
    const started = Date.now();
    expect(await wrongLogin(anonymous)).toMatchObject({ ok: false, error: { code: "unavailable" } });
    expect(Date.now() - started).toBeLessThan(2_900);
    await eventually("logins counted again", async () => (await wrongLogin(anonymous)).ok === false && (await getHealth(hub.url, hub.ca)).status === 200);
    expect(await wrongLogin(anonymous)).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    anonymous.disconnect();
  });

  it("ends a socket whose session another process revoked while Redis was away, once Redis is back", async () => {
    const { socket: onHub } = await logIn(hub, carol);
    const { socket: onOther } = await logIn(other, carol);
    const sessionOfHub = await currentSession(onHub);
    let revoked: PushPayload<"session:revoked"> | undefined;
    onHub.once("session:revoked", (payload) => (revoked = payload));

    await redis.kill();
    // Revoking needs only the database; the news to the other process is what Redis would carry.
    expectOk(await call(onOther, "session:revoke", { sessionId: sessionOfHub.id }));
    await redis.restart();
    await eventually("session:revoked on the first hub", async () => revoked !== undefined);
    expect(revoked).toEqual({ sessionId: sessionOfHub.id, reason: "revoked" });
    await eventually("the socket closed", async () => !onHub.connected);
    onOther.disconnect();
  });

  it("hears the other process again once Redis is back: live news, not only the recheck", async () => {
    await eventually("Redis back", async () => (await getHealth(other.url, other.ca)).status === 200);
    const { socket: onHub } = await logIn(hub, carol);
    const { socket: onOther } = await logIn(other, carol);
    const sessionOfHub = await currentSession(onHub);
    let revoked = false;
    onHub.once("session:revoked", () => (revoked = true));
    expectOk(await call(onOther, "session:revoke", { sessionId: sessionOfHub.id }));
    await eventually("session:revoked on the first hub", async () => revoked);
    onOther.disconnect();
  });
});
