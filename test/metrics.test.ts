import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevicePushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, openPushedLogin, register, signChallenge } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, type TestDevice, type TestDeviceSocket } from "./support/device.ts";
import { warmPasswordWorkers } from "./support/hub-command.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let quiet: TestHub;
const alice = newAccount("alice");
const bob = newAccount("bob");
let device: TestDevice;
let deviceSocket: TestDeviceSocket;

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_METRICS_PORT: "0" } });
  quiet = await startTestHub();
  await warmPasswordWorkers(hub);
  await register(hub, alice);
  await register(hub, bob);
  const { socket } = await logIn(hub, bob);
  device = await pairDevice(hub, socket);
  socket.disconnect();
  deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
});
afterAll(async () => {
  (deviceSocket as TestDeviceSocket | undefined)?.disconnect();
  await hub.destroy();
  await quiet.destroy();
});

async function scrape(): Promise<string> {
  const response = await fetch(hub.hub.metricsUrl!);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

/** The value of one sample line, `name{labels} value`; 0 when the series has no sample yet. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("/metrics", () => {
  it("is served on its own listener on 127.0.0.1 when PAIRGATE_METRICS_PORT is set", () => {
    expect(hub.hub.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
  });

  it("counts a login and a refused login by outcome", async () => {
    const before = await scrape();
    await logIn(hub, alice).then(({ socket }) => socket.disconnect());
    const socket = await connectClient(hub);
    expect(await call(socket, "auth:login", { username: "alice", password: "not-her-password-1" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    socket.disconnect();
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta(`pairgate_logins_total{step="password",outcome="ok"}`)).toBe(1);
    expect(delta(`pairgate_logins_total{step="password",outcome="invalid_credentials"}`)).toBe(1);
    expect(delta(`pairgate_logins_total{step="complete",outcome="ok"}`)).toBe(1);
  });

  it("times an approval on the device from the challenge's opening, and counts the challenge", async () => {
    const before = await scrape();
    const socket = await connectClient(hub);
    const pushed = nextPush<DevicePushPayload<"challenge:new">>(deviceSocket, "challenge:new");
    const challenge = await openPushedLogin(socket, bob);
    await pushed;
    hub.clock.advance(4_000);
    const approved = nextPush(socket, "challenge:approved");
    expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId: challenge.challengeId, otp: device.nextCode(), numberMatch: challenge.numberMatch! }));
    await approved;
    expectOk(await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature: challenge.signature }));
    const sockets = await scrape();
    expect(sample(sockets, `pairgate_sockets{namespace="/client"}`)).toBeGreaterThanOrEqual(1);
    expect(sample(sockets, `pairgate_sockets{namespace="/device"}`)).toBe(1);
    socket.disconnect();
    const after = await scrape();
    const delta = (series: string) => sample(after, series) - sample(before, series);
    expect(delta("pairgate_challenges_opened_total")).toBe(1);
    // An approval decides the challenge; the login that follows closes it as completed.
    expect(delta(`pairgate_challenges_closed_total{outcome="completed"}`)).toBe(1);
    expect(delta(`pairgate_challenge_approval_seconds_count{outcome="approved"}`)).toBe(1);
    expect(delta(`pairgate_challenge_approval_seconds_bucket{le="3",outcome="approved"}`)).toBe(0);
    expect(delta(`pairgate_challenge_approval_seconds_bucket{le="5",outcome="approved"}`)).toBe(1);
  });

  it("reports the password queue and the event loop's lag", async () => {
    const text = await scrape();
    expect(text).toMatch(/^pairgate_password_queue_length \d+$/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds [\d.e-]+$/m);
  });

  it("holds no username, email address, network address or id", async () => {
    const text = await scrape();
    for (const secret of ["alice", "bob", "example.test", device.deviceId, "127.0.0.1"]) expect(text).not.toContain(secret);
    const labels = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((match) => match[1]));
    for (const label of labels) expect(["step", "outcome", "event", "namespace", "le", "version", "major", "minor", "patch", "type", "space", "kind"]).toContain(label);
  });

  it("answers nothing but GET /metrics on its listener", async () => {
    const response = await fetch(new URL("/api/health", hub.hub.metricsUrl));
    expect(response.status).toBe(404);
  });

  it("is not served at all when PAIRGATE_METRICS_PORT is unset: no listener, and 404 on the hub's port", async () => {
    expect(quiet.hub.metricsUrl).toBeUndefined();
    const status = await new Promise<number | undefined>((resolve, reject) => {
      https.get(`${quiet.url}/metrics`, { ca: quiet.ca }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).once("error", reject);
    });
    expect(status).toBe(404);
  });
});
