import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server, type Socket as ServerSocket } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DeviceLink, type LinkStatus } from "../device-app/device-link.ts";
import { connectToHub, createHubConnection, type DeviceConnection, HubConnectionError } from "../terminal/hub-connection.ts";
import type { HubTarget } from "../terminal/hub-settings.ts";
import { newAccount, signChallenge, type TestAccount } from "./support/client.ts";
import { registerWithDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let target: HubTarget;
let account: TestAccount;
let device: TestDevice;

beforeAll(async () => {
  hub = await startTestHub();
  target = { url: hub.url, ca: hub.ca, caFile: hub.caFile };
  account = newAccount("connie");
  device = await registerWithDevice(hub, account);
});

afterAll(async () => {
  await hub?.destroy();
});

/** The HubConnectionError a promise rejects with, or a failure of the test when it resolves. */
async function connectionError(promise: Promise<unknown>): Promise<HubConnectionError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(HubConnectionError);
  return error as HubConnectionError;
}

describe("a /client connection", () => {
  it("answers a call with the hub's ack: data on success, the error code on a refusal", async () => {
    const connection = await connectToHub("/client", target);
    try {
      const login = await connection.call("auth:login", { username: account.username, password: account.password });
      expect(login.ok && login.data.factors).toContain("signature");
      const wrong = await connection.call("auth:login", { username: account.username, password: "not-the-password-at-all" });
      expect(wrong).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    } finally {
      connection.close();
    }
  });

  it("is refused at connect time, with the protocol's code, when its token is not accepted", async () => {
    const error = await connectionError(connectToHub("/client", target, { token: "not-a-session-token-at-all-0123456789" }));
    expect(error.failure).toMatchObject({ kind: "refused", code: "invalid_token" });
  });

  it("rejects a call made after it was closed, as disconnected, without sending it", async () => {
    const connection = await connectToHub("/client", target);
    connection.close();
    const error = await connectionError(connection.call("auth:login", { username: account.username, password: account.password }));
    expect(error.failure).toEqual({ kind: "disconnected", reason: "not connected" });
  });
});

describe("a /device connection", () => {
  it("answers an anonymous device:bind with a wrong code as a refusal", async () => {
    const connection = await connectToHub("/device", target);
    try {
      expect(await connection.call("device:bind", { code: "ABCD-EFGH", name: "stranger" })).toMatchObject({ ok: false, error: { code: "invalid_binding_code" } });
    } finally {
      connection.close();
    }
  });

  it("hears a login as a checked challenge:new push, and lists it, when paired", async () => {
    const connection = await connectToHub("/device", target, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const login = await connectToHub("/client", target);
    try {
      const pushed = new Promise<string>((resolve) => connection.onPush("challenge:new", (challenge) => resolve(challenge.username)));
      const opened = await login.call("auth:login", { username: account.username, password: account.password });
      if (!opened.ok) throw new Error(opened.error.message);
      const signature = signChallenge(account.keys.privateKey, opened.data.challengeId, opened.data.nonce);
      await login.call("auth:prove-key", { challengeId: opened.data.challengeId, signature });
      expect(await pushed).toBe(account.username);
      const listed = await connection.call("challenge:list", {});
      expect(listed.ok && listed.data.challenges.map((challenge) => challenge.username)).toContain(account.username);
    } finally {
      login.close();
      connection.close();
    }
  });

  it("is refused at connect time as invalid_device_token when the token is wrong", async () => {
    const error = await connectionError(connectToHub("/device", target, { deviceId: device.deviceId, deviceToken: "wrong-token-for-this-device-000000" }));
    expect(error.failure).toMatchObject({ kind: "refused", code: "invalid_device_token" });
  });
});

describe("a hub that opens the transport but does not answer the namespace", () => {
  // A Socket.IO server standing in for a hub stuck in its handshake (a database read that hangs):
  // the transport opens and the namespace's middleware is reached. It then holds the socket,
  // passes it on, or closes its transport, as the test says.
  type Mode = "hold" | "answer" | "drop";
  let stuck: { target: HubTarget; mode: Mode; reached: ServerSocket[]; close(): Promise<void> };

  beforeAll(async () => {
    const http = createServer();
    const io = new Server(http);
    io.of("/device").use((socket, next) => {
      stuck.reached.push(socket);
      if (stuck.mode === "answer") next();
      if (stuck.mode === "drop") socket.conn.close();
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    stuck = {
      target: { url: `http://127.0.0.1:${port}`, ca: undefined, caFile: undefined },
      mode: "hold",
      reached: [],
      close: () => new Promise((resolve) => io.close(() => resolve())),
    };
  });

  afterAll(async () => {
    await stuck?.close();
  });

  /** Connects with `connection` once, and resolves with the outcome its listeners heard. */
  const outcomesOf = (connection: DeviceConnection) => {
    const outcomes: string[] = [];
    connection.onConnectFailure((failure) => outcomes.push(failure.kind));
    connection.onConnect(() => outcomes.push("connected"));
    connection.onDisconnect((reason) => outcomes.push(`disconnect: ${reason}`));
    return outcomes;
  };

  it("gives up after the connect timeout, closes the transport and says so, then connects on the next attempt once the hub answers", async () => {
    stuck.mode = "hold";
    const connection = createHubConnection("/device", stuck.target);
    const outcomes = outcomesOf(connection);
    try {
      connection.connect(2_000);
      await expect.poll(() => outcomes, { timeout: 10_000 }).toEqual(["timeout"]);
      const held = stuck.reached.at(-1)!;
      await expect.poll(() => held.conn.readyState, { timeout: 10_000 }).toBe("closed");

      stuck.mode = "answer";
      connection.connect(5_000);
      await expect.poll(() => outcomes, { timeout: 10_000 }).toEqual(["timeout", "connected"]);
    } finally {
      connection.close();
    }
  });

  it("reports a transport closed before the namespace answered once, as that attempt's failure, and not as a lost connection", async () => {
    stuck.mode = "drop";
    const connection = createHubConnection("/device", stuck.target);
    const outcomes = outcomesOf(connection);
    try {
      connection.connect(300);
      await expect.poll(() => outcomes, { timeout: 10_000 }).toEqual(["disconnected"]);
      // A later attempt that times out after longer than the first one's timeout: had the first
      // attempt's timer outlived its failure, it would have fired and reported again by then.
      stuck.mode = "hold";
      const later = await connectionError(connectToHub("/device", stuck.target, {}, { connectTimeoutMs: 600 }));
      expect(later.failure).toEqual({ kind: "timeout" });
      expect(outcomes).toEqual(["disconnected"]);
    } finally {
      connection.close();
    }
  });

  it("has the authenticator's link say that its next attempt is a retry, and why the last one failed", async () => {
    stuck.mode = "drop";
    const statuses: LinkStatus[] = [];
    const link = new DeviceLink(stuck.target, { deviceId: "dev_1", deviceToken: "token" }, { status: (status) => statuses.push(status) }, () => 0);
    try {
      link.start();
      await expect.poll(() => statuses.length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
      expect(statuses.slice(0, 3)).toEqual([
        { state: "connecting" },
        { state: "reconnecting", retryAt: expect.any(Number), reason: "connection lost" },
        { state: "connecting", lastTry: "connection lost" },
      ]);
    } finally {
      link.close();
    }
  });

  it("rejects a one-shot connect as a timeout once the namespace was reached", async () => {
    stuck.mode = "hold";
    // Known by its handshake, not by a count: an attempt of an earlier test, sent before its
    // client closed, can still reach the stand-in meanwhile.
    const auth = { deviceId: "dev_one_shot", deviceToken: "token" };
    const error = await connectionError(connectToHub("/device", stuck.target, auth, { connectTimeoutMs: 2_000 }));
    expect(error.failure).toEqual({ kind: "timeout" });
    expect(stuck.reached.filter((socket) => (socket.handshake.auth as { deviceId?: string }).deviceId === auth.deviceId)).toHaveLength(1);
  });
});
