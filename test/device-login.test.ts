import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_CHALLENGE_CODE_TRIES, LOGIN_CHALLENGE_TTL_SECONDS, type DevicePushPayload, type PushPayload } from "#protocol";
import { call, connectClient, expectOk, newAccount, openPushedLogin, register, signChallenge, logIn, type TestAccount, type TestSocket } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, registerWithDevice, type TestDevice, type TestDeviceSocket } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
const alice = newAccount("alice");
let device: TestDevice;
let deviceSocket: TestDeviceSocket;

beforeAll(async () => {
  hub = await startTestHub();
  device = await registerWithDevice(hub, alice);
  deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
});
afterAll(async () => {
  deviceSocket.disconnect();
  await hub.destroy();
});

async function startLogin(account: TestAccount = alice): Promise<{ socket: TestSocket; challengeId: string; nonce: string; numberMatch: string; pushed: DevicePushPayload<"challenge:new"> }> {
  const socket = await connectClient(hub);
  const pushed = nextPush<DevicePushPayload<"challenge:new">>(deviceSocket, "challenge:new");
  const login = await openPushedLogin(socket, account, { clientName: "laptop" });
  return { socket, challengeId: login.challengeId, nonce: login.nonce, numberMatch: login.numberMatch!, pushed: await pushed };
}

/** A two-digit number other than the one the client shows. */
const otherNumber = (shown: string) => (shown === "10" ? "11" : "10");

/** The device's challenge:closed for one challenge; a client socket closed by an earlier test ends its own challenge too. */
function closedPush(challengeId: string, on: TestDeviceSocket = deviceSocket): Promise<DevicePushPayload<"challenge:closed">> {
  return new Promise((resolve) => {
    const listener = (payload: DevicePushPayload<"challenge:closed">) => {
      if (payload.challengeId !== challengeId) return;
      on.off("challenge:closed", listener as never);
      resolve(payload);
    };
    on.on("challenge:closed", listener as never);
  });
}

describe("a login of an account with a paired device", () => {
  it("asks for the OTP factor, and once the key is proven pushes the challenge to the device live, the number going to the client only", async () => {
    const socket = await connectClient(hub);
    const pushed = nextPush<DevicePushPayload<"challenge:new">>(deviceSocket, "challenge:new");
    const challenge = expectOk(await call(socket, "auth:login", { username: "alice", password: alice.password, clientName: "laptop" }));
    expect(challenge.factors).toEqual(["signature", "otp"]);
    expect(challenge).not.toHaveProperty("numberMatch");
    const signature = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    const proof = expectOk(await call(socket, "auth:prove-key", { challengeId: challenge.challengeId, signature }));
    expect(proof).toEqual({ numberMatch: expect.stringMatching(/^\d{2}$/), devicesAsked: 1, newKey: false });
    const offered = await pushed;
    expect(offered).toEqual({
      challengeId: challenge.challengeId,
      username: "alice",
      client: { name: "laptop", address: expect.any(String) },
      newKey: false,
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(JSON.stringify(offered)).not.toContain(`"${proof.numberMatch}"`);
    socket.disconnect();
  });

  it("refuses a signature alone, without spending the challenge", async () => {
    const { socket, challengeId, nonce } = await startLogin();
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    expect(await call(socket, "auth:complete", { challengeId, signature })).toMatchObject({ ok: false, error: { code: "otp_required" } });
    expectOk(await call(socket, "auth:complete", { challengeId, signature, otp: device.nextCode() }));
    socket.disconnect();
  });

  it("completes with the signature and a typed code, and tells the devices the challenge is completed", async () => {
    const { socket, challengeId, nonce } = await startLogin();
    const closed = closedPush(challengeId);
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    const session = expectOk(await call(socket, "auth:complete", { challengeId, signature, otp: device.nextCode() }));
    expect(session.user.username).toBe("alice");
    expect(await closed).toEqual({ challengeId, outcome: "completed" });
    socket.disconnect();
  });

  it("asks again after a wrong code, within the same challenge, saying how many tries are left", async () => {
    const { socket, challengeId, nonce } = await startLogin();
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    const wrong = device.codeAt(device.counter + 50) === "000000" ? "111111" : "000000";
    expect(await call(socket, "auth:complete", { challengeId, signature, otp: wrong })).toMatchObject({
      ok: false,
      error: { code: "invalid_otp", triesLeft: LOGIN_CHALLENGE_CODE_TRIES - 1, message: expect.stringContaining(`${LOGIN_CHALLENGE_CODE_TRIES - 1} more tries for this login`) },
    });
    const { challenges } = await deviceCall(deviceSocket, "challenge:list", {}).then(expectOk);
    expect(challenges.map((pending) => pending.challengeId)).toContain(challengeId);
    const closed = closedPush(challengeId);
    expectOk(await call(socket, "auth:complete", { challengeId, signature, otp: device.nextCode() }));
    expect(await closed).toEqual({ challengeId, outcome: "completed" });
    socket.disconnect();
  });

  it(`ends the challenge after ${LOGIN_CHALLENGE_CODE_TRIES} wrong codes, and tells the devices it failed`, async () => {
    const { socket, challengeId, nonce } = await startLogin();
    const closed = closedPush(challengeId);
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    const wrong = device.codeAt(device.counter + 50) === "000000" ? "111111" : "000000";
    for (let left = LOGIN_CHALLENGE_CODE_TRIES - 1; left >= 0; left -= 1) {
      expect(await call(socket, "auth:complete", { challengeId, signature, otp: wrong })).toMatchObject({ ok: false, error: { code: "invalid_otp", triesLeft: left } });
    }
    expect(await closed).toEqual({ challengeId, outcome: "failed" });
    const { challenges } = await deviceCall(deviceSocket, "challenge:list", {}).then(expectOk);
    expect(challenges.map((pending) => pending.challengeId)).not.toContain(challengeId);
    expect(await call(socket, "auth:complete", { challengeId, signature, otp: device.nextCode() })).toMatchObject({ ok: false, error: { code: "challenge_used" } });
    socket.disconnect();
  });
});

describe("a login whose client goes away", () => {
  it("is closed at once as abandoned: the devices are told, it is listed no more, and approving it is refused", async () => {
    const { socket, challengeId, numberMatch } = await startLogin();
    const closed = closedPush(challengeId);
    socket.disconnect();
    expect(await closed).toEqual({ challengeId, outcome: "abandoned" });
    const { challenges } = expectOk(await deviceCall(deviceSocket, "challenge:list", {}));
    expect(challenges.map((pending) => pending.challengeId)).not.toContain(challengeId);
    expect(await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: device.codeAt(device.counter), numberMatch })).toMatchObject({ ok: false, error: { code: "challenge_used" } });
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { action: "login.abandoned" } });
    expect(audit.map((event) => JSON.parse(event.details ?? "{}").challengeId)).toContain(challengeId);
  });
});

describe("a client socket that logs in again and again", () => {
  it("keeps nothing of its finished logins, and on going closes only the one still open", async () => {
    const repeat = newAccount("repeat");
    const repeatDevice = await registerWithDevice(hub, repeat);
    const repeatDeviceSocket = await connectDevice(hub, { deviceId: repeatDevice.deviceId, deviceToken: repeatDevice.deviceToken });
    const socket = await connectClient(hub);
    const onHub = hub.hub.io.of("/client").sockets.get(socket.id!)!;
    const listenersAtStart = onHub.listenerCount("disconnect");
    const challengeRooms = () => [...onHub.rooms].filter((room) => room.startsWith("challenge:"));
    for (let login = 0; login < 3; login++) {
      const opened = await openPushedLogin(socket, repeat);
      expect(challengeRooms()).toEqual([`challenge:${opened.challengeId}`]);
      const approved = nextPush<PushPayload<"challenge:approved">>(socket, "challenge:approved");
      expectOk(await deviceCall(repeatDeviceSocket, "challenge:approve", { challengeId: opened.challengeId, otp: repeatDevice.nextCode(), numberMatch: opened.numberMatch! }));
      await approved;
      expectOk(await call(socket, "auth:complete", { challengeId: opened.challengeId, signature: opened.signature }));
      expect(challengeRooms()).toEqual([]);
      expect(onHub.listenerCount("disconnect")).toBe(listenersAtStart);
    }
    const open = await openPushedLogin(socket, repeat);
    const closed = closedPush(open.challengeId, repeatDeviceSocket);
    socket.disconnect();
    expect(await closed).toEqual({ challengeId: open.challengeId, outcome: "abandoned" });
    const user = await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: repeat.username } });
    const abandoned = await hub.hub.context.db.auditEvent.findMany({ where: { userId: user.id, action: "login.abandoned" } });
    expect(abandoned.map((event) => JSON.parse(event.details ?? "{}").challengeId)).toEqual([open.challengeId]);
    repeatDeviceSocket.disconnect();
  });
});

describe("approval on the device with number matching", () => {
  it("approve with the right number: the client hears challenge:approved and completes with the signature alone", async () => {
    const { socket, challengeId, nonce, numberMatch } = await startLogin();
    const approved = nextPush<PushPayload<"challenge:approved">>(socket, "challenge:approved");
    const closed = closedPush(challengeId);
    expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: device.nextCode(), numberMatch }));
    expect(await approved).toEqual({ challengeId });
    expect(await closed).toEqual({ challengeId, outcome: "approved" });
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    const session = expectOk(await call(socket, "auth:complete", { challengeId, signature }));
    expect(session.user.username).toBe("alice");
    const { events } = expectOk(await call(socket, "audit:list", {}));
    expect(events.find((event) => event.action === "login.succeeded")?.details).toMatchObject({ secondProof: "approval" });
    socket.disconnect();
  });

  it("a wrongly typed number denies the challenge, tells the client, and is audited", async () => {
    const { socket, challengeId, nonce, numberMatch } = await startLogin();
    const denied = nextPush<PushPayload<"challenge:denied">>(socket, "challenge:denied");
    const wrongPick = otherNumber(numberMatch);
    const ack = await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: device.nextCode(), numberMatch: wrongPick });
    expect(ack).toMatchObject({ ok: false, error: { code: "challenge_denied" } });
    expect(await denied).toEqual({ challengeId, reason: "wrong_number" });
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    expect(await call(socket, "auth:complete", { challengeId, signature, otp: device.nextCode() })).toMatchObject({ ok: false, error: { code: "challenge_denied" } });
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { action: "login.number_mismatch" } });
    expect(audit).toHaveLength(1);
    socket.disconnect();
  });

  it("deny: the client hears challenge:denied and cannot complete", async () => {
    const { socket, challengeId, nonce } = await startLogin();
    const denied = nextPush<PushPayload<"challenge:denied">>(socket, "challenge:denied");
    expectOk(await deviceCall(deviceSocket, "challenge:deny", { challengeId }));
    expect(await denied).toEqual({ challengeId, reason: "denied" });
    const signature = signChallenge(alice.keys.privateKey, challengeId, nonce);
    expect(await call(socket, "auth:complete", { challengeId, signature })).toMatchObject({ ok: false, error: { code: "challenge_denied" } });
    socket.disconnect();
  });

  it("refuses approval with a wrong code and leaves the challenge open", async () => {
    const { socket, challengeId, numberMatch } = await startLogin();
    const ack = await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: "999999" === device.codeAt(device.counter) ? "888888" : "999999", numberMatch });
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: device.nextCode(), numberMatch }));
    socket.disconnect();
  });

  it("refuses a second decision on the same challenge", async () => {
    const { socket, challengeId, numberMatch } = await startLogin();
    expectOk(await deviceCall(deviceSocket, "challenge:deny", { challengeId }));
    expect(await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: device.nextCode(), numberMatch })).toMatchObject({ ok: false, error: { code: "challenge_used" } });
    socket.disconnect();
  });

  it("delivers pending challenges again after a reconnect (challenge:list), and not decided ones", async () => {
    deviceSocket.disconnect();
    const client = await connectClient(hub);
    const first = await openPushedLogin(client, alice);
    const second = await openPushedLogin(client, alice);
    deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    expectOk(await deviceCall(deviceSocket, "challenge:deny", { challengeId: second.challengeId }));
    const { challenges } = expectOk(await deviceCall(deviceSocket, "challenge:list", {}));
    const ids = challenges.map((challenge) => challenge.challengeId);
    expect(ids).toContain(first.challengeId);
    expect(ids).not.toContain(second.challengeId);
    client.disconnect();
  });

  it("expires a challenge after its lifetime: the device is told, approval is refused", async () => {
    const { socket, challengeId, numberMatch } = await startLogin();
    hub.clock.advance(LOGIN_CHALLENGE_TTL_SECONDS * 1000);
    expect(await deviceCall(deviceSocket, "challenge:approve", { challengeId, otp: device.codeAt(device.counter), numberMatch })).toMatchObject({ ok: false, error: { code: "challenge_expired" } });
    const { challenges } = expectOk(await deviceCall(deviceSocket, "challenge:list", {}));
    expect(challenges.map((challenge) => challenge.challengeId)).not.toContain(challengeId);
    socket.disconnect();
  });

  it("refuses a challenge of another account", async () => {
    const bob = newAccount("bob");
    await register(hub, bob);
    const bobOwner = (await logIn(hub, bob)).socket;
    const bobDevice = await pairDevice(hub, bobOwner);
    const bobDeviceSocket = await connectDevice(hub, { deviceId: bobDevice.deviceId, deviceToken: bobDevice.deviceToken });
    const { socket, challengeId, numberMatch } = await startLogin();
    expect(await deviceCall(bobDeviceSocket, "challenge:approve", { challengeId, otp: bobDevice.nextCode(), numberMatch })).toMatchObject({ ok: false, error: { code: "challenge_not_found" } });
    bobDeviceSocket.disconnect();
    bobOwner.disconnect();
    socket.disconnect();
  });
});

describe("the expiry timer", () => {
  it("tells devices challenge:closed expired when nobody decided in time", async () => {
    const quick = await startTestHub();
    const dora = newAccount("dora");
    await register(quick, dora);
    const owner = (await logIn(quick, dora)).socket;
    const doraDevice = await pairDevice(quick, owner);
    const live = await connectDevice(quick, { deviceId: doraDevice.deviceId, deviceToken: doraDevice.deviceToken });
    const opened = nextPush<DevicePushPayload<"challenge:new">>(live, "challenge:new");
    const challenge = await openPushedLogin(owner, dora);
    await opened;
    const closed = nextPush<DevicePushPayload<"challenge:closed">>(live, "challenge:closed");
    // The hub's own timer, set when the challenge opened, runs once the lifetime has passed.
    quick.clock.advance(LOGIN_CHALLENGE_TTL_SECONDS * 1000);
    expect(await closed).toEqual({ challengeId: challenge.challengeId, outcome: "expired" });
    live.disconnect();
    owner.disconnect();
    await quick.destroy();
  });
});
