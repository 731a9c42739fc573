import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, connectClient, expectOk, logIn, newAccount, register } from "./support/client.ts";
import { eventually, getHealth } from "./support/health.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { startTcpProxy, type TcpProxy } from "./support/tcp-proxy.ts";
import { dropPostgresTestDatabase, postgresTestDatabase } from "./support/test-database.ts";

// The hub reaches its PostgreSQL database through a proxy that the test cuts: an outage of the
// database as the hub sees it, while the server itself, which other tests share, keeps running.
let proxy: TcpProxy;
let databaseUrl: string;
let hub: TestHub;
const frank = newAccount("frank");

beforeAll(async () => {
  databaseUrl = await postgresTestDatabase(`database-outage-${process.pid}`);
  const direct = new URL(databaseUrl);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(databaseUrl);
  proxied.hostname = "127.0.0.1";
  proxied.port = String(proxy.port);
  hub = await startTestHub({ env: { DATABASE_URL: proxied.toString() } });
  await register(hub, frank);
});
afterAll(async () => {
  await hub?.destroy();
  if (databaseUrl) await dropPostgresTestDatabase(databaseUrl);
});

const logLines = (pattern: RegExp) => hub.logs.filter((line) => pattern.test(line));

describe("when PostgreSQL goes away and comes back", () => {
  it("answers unavailable, reports degraded health, logs once, and recovers by itself", async () => {
    const { socket, token } = await logIn(hub, frank);
    const anonymous = await connectClient(hub);
    await proxy.cut();

    for (let attempt = 0; attempt < 3; attempt++) {
      const refused = await call(anonymous, "auth:login", { username: frank.username, password: frank.password });
      expect(refused).toMatchObject({ ok: false, error: { code: "unavailable", message: expect.stringMatching(/database/) } });
    }
    expect(await call(socket, "session:list", {})).toMatchObject({ ok: false, error: { code: "unavailable" } });
    const { status, body } = await getHealth(hub.url, hub.ca);
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "degraded", database: { reachable: false } });
    const refusedHandshake = await connectClient(hub, { token }).then(
      (connected) => (connected.disconnect(), null),
      (error: Error & { data?: { code?: string } }) => error.data?.code,
    );
    expect(refusedHandshake).toBe("unavailable");
    expect(logLines(/The database is unreachable/)).toHaveLength(1);
    expect(logLines(/"event handler failed"|"handshake failed"/)).toEqual([]);

    await proxy.restore();
    await eventually("health ok again", async () => (await getHealth(hub.url, hub.ca)).status === 200);
    expect(logLines(/The database is reachable again/)).toHaveLength(1);
    expect(expectOk(await call(socket, "session:list", {})).sessions.length).toBeGreaterThan(0);
    expect(await call(anonymous, "auth:login", { username: frank.username, password: frank.password })).toMatchObject({ ok: true });
    anonymous.disconnect();
    socket.disconnect();
  });
});
