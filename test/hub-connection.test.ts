import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectToHub, createHubConnection, HubConnectionError } from "../terminal/hub-connection.ts";
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
  // the transport opens, the namespace's middleware holds the socket until told to go on.
  let stuck: { target: HubTarget; answering: boolean; held: number; close(): Promise<void> };

  beforeAll(async () => {
    const http = createServer();
    const io = new Server(http);
    io.of("/device").use((_socket, next) => {
      stuck.held += 1;
      if (stuck.answering) next();
    });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    const { port } = http.address() as AddressInfo;
    stuck = {
      target: { url: `http://127.0.0.1:${port}`, ca: undefined, caFile: undefined },
      answering: false,
      held: 0,
      close: () => new Promise((resolve) => io.close(() => resolve())),
    };
  });

  afterAll(async () => {
    await stuck?.close();
  });

  it("gives up after the connect timeout and says so, then connects on the next attempt once the hub answers", async () => {
    const connection = createHubConnection("/device", stuck.target);
    const outcomes: string[] = [];
    connection.onConnectFailure((failure) => outcomes.push(failure.kind));
    connection.onConnect(() => outcomes.push("connected"));
    try {
      connection.connect(300);
      await expect.poll(() => outcomes, { timeout: 10_000 }).toEqual(["timeout"]);
      expect(stuck.held).toBe(1);

      stuck.answering = true;
      connection.connect(5_000);
      await expect.poll(() => outcomes, { timeout: 10_000 }).toEqual(["timeout", "connected"]);
      expect(stuck.held).toBe(2);
    } finally {
      connection.close();
    }
  });

  it("rejects a one-shot connect as a timeout", async () => {
    stuck.answering = false;
    const error = await connectionError(connectToHub("/device", stuck.target, {}, { connectTimeoutMs: 300 }));
    expect(error.failure).toEqual({ kind: "timeout" });
  });
});
