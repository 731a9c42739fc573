import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUSH_HOLD_AFTER_NOT_ME_SECONDS, type DevicePushPayload, type PushPayload } from "#protocol";
import { DEFAULT_RATE_LIMITS } from "../server/rate-limits.ts";
import {
  call,
  connectClient,
  expectOk,
  generateTestKeys,
  newAccount,
  openPushedLogin,
  signChallenge,
  type TestAccount,
  type TestSocket,
} from "./support/client.ts";
import { connectDevice, deviceCall, registerWithDevice, type TestDevice, type TestDeviceSocket } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { rest } from "./support/rest.ts";

type Pending = DevicePushPayload<"challenge:new">;

/** Every challenge:new the device receives, in order, so that "nothing was pushed" can be read off a later push. */
function recordPushes(socket: TestDeviceSocket): Pending[] {
  const seen: Pending[] = [];
  socket.on("challenge:new", (pending) => seen.push(pending));
  return seen;
}

/** Resolves with the next challenge:new; what came before it is in `seen`. */
function nextPending(socket: TestDeviceSocket): Promise<Pending> {
  return new Promise((resolve) => socket.once("challenge:new", resolve));
}

const otherNumber = (shown: string) => (shown === "10" ? "11" : "10");

interface Owner {
  account: TestAccount;
  device: TestDevice;
  deviceSocket: TestDeviceSocket;
  seen: Pending[];
}

async function ownerWithDevice(hub: TestHub, name: string): Promise<Owner> {
  const account = newAccount(name);
  const device = await registerWithDevice(hub, account);
  const deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
  return { account, device, deviceSocket, seen: recordPushes(deviceSocket) };
}

/** A login that should push, used as the marker: whatever was pushed before it arrives first. */
async function pushedMarker(hub: TestHub, owner: Owner): Promise<{ socket: TestSocket; challengeId: string; pending: Pending }> {
  const socket = await connectClient(hub);
  const next = nextPending(owner.deviceSocket);
  const { challengeId } = await openPushedLogin(socket, owner.account);
  const pending = await next;
  return { socket, challengeId, pending };
}

describe("what reaches the authenticator", () => {
  let hub: TestHub;
  let alice: Owner;
  beforeAll(async () => {
    hub = await startTestHub();
    alice = await ownerWithDevice(hub, "alice");
  });
  afterAll(async () => {
    alice.deviceSocket.disconnect();
    await hub.destroy();
  });

  it("a bare password, over REST or the socket, pushes nothing to the device", async () => {
    const viaRest = await rest(hub, "POST", "/api/auth/login", { json: { username: "alice", password: alice.account.password } });
    expect(viaRest.status).toBe(200);
    const restChallengeId = String(expectOk(viaRest.body).challengeId);
    const socket = await connectClient(hub);
    const viaSocket = expectOk(await call(socket, "auth:login", { username: "alice", password: alice.account.password }));
    expect(viaSocket).not.toHaveProperty("numberMatch");
    expect(viaRest.body).not.toHaveProperty("data.numberMatch");

    const marker = await pushedMarker(hub, alice);
    // The marker's push is the first the device saw: neither password-only login reached it.
    expect(alice.seen.map((pending) => pending.challengeId)).toEqual([marker.challengeId]);
    const { challenges } = expectOk(await deviceCall(alice.deviceSocket, "challenge:list", {}));
    expect(challenges.map((pending) => pending.challengeId)).not.toContain(restChallengeId);
    expect(challenges.map((pending) => pending.challengeId)).not.toContain(viaSocket.challengeId);
    socket.disconnect();
    marker.socket.disconnect();
  });

  it("a wrong signature pushes nothing, uses the challenge up and is audited", async () => {
    alice.seen.length = 0;
    const stranger = generateTestKeys();
    const socket = await connectClient(hub);
    const challenge = expectOk(await call(socket, "auth:login", { username: "alice", password: alice.account.password }));
    const forged = signChallenge(stranger.privateKey, challenge.challengeId, challenge.nonce);
    expect(await call(socket, "auth:prove-key", { challengeId: challenge.challengeId, signature: forged })).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
    // Over REST too, and with the right key afterwards: the challenge is spent.
    const good = signChallenge(alice.account.keys.privateKey, challenge.challengeId, challenge.nonce);
    const again = await rest(hub, "POST", "/api/auth/prove-key", { json: { challengeId: challenge.challengeId, signature: good } });
    expect(again.body).toMatchObject({ ok: false, error: { code: "challenge_used" } });

    const marker = await pushedMarker(hub, alice);
    expect(alice.seen.map((pending) => pending.challengeId)).toEqual([marker.challengeId]);
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { action: "login.signature_failed" } });
    expect(audit.map((event) => JSON.parse(event.details ?? "{}"))).toContainEqual({ challengeId: challenge.challengeId, step: "prove-key" });
    socket.disconnect();
    marker.socket.disconnect();
  });

  it("a new machine's verified key is pushed marked as new, and once approved with the typed number its login adds the key", async () => {
    const laptop = generateTestKeys();
    const socket = await connectClient(hub);
    const next = nextPending(alice.deviceSocket);
    const login = await openPushedLogin(socket, alice.account, { keys: laptop, clientName: "borrowed-laptop" });
    expect(login.proof).toEqual({ numberMatch: expect.stringMatching(/^\d{2}$/), devicesAsked: 1, newKey: true });
    const pending = await next;
    expect(pending).toMatchObject({ challengeId: login.challengeId, newKey: true, client: { name: "borrowed-laptop", address: expect.any(String) } });

    const approved = new Promise((resolve) => socket.once("challenge:approved", resolve));
    expectOk(await deviceCall(alice.deviceSocket, "challenge:approve", { challengeId: login.challengeId, otp: alice.device.nextCode(), numberMatch: login.numberMatch! }));
    await approved;
    const session = expectOk(await call(socket, "auth:complete", { challengeId: login.challengeId, signature: login.signature, publicKey: laptop.publicKeyPem }));
    expect(session.user.username).toBe("alice");
    const { keys } = expectOk(await call(socket, "key:list", {}));
    expect(keys).toHaveLength(2);
    socket.disconnect();
  });

  it("the device is never told the number, neither live nor when it asks for the waiting logins", async () => {
    const socket = await connectClient(hub);
    const next = nextPending(alice.deviceSocket);
    const login = await openPushedLogin(socket, alice.account);
    const pending = await next;
    const { challenges } = expectOk(await deviceCall(alice.deviceSocket, "challenge:list", {}));
    const listed = challenges.find((challenge) => challenge.challengeId === login.challengeId);
    expect(Object.keys(pending).sort()).toEqual(["challengeId", "client", "createdAt", "expiresAt", "newKey", "username"]);
    expect(listed).toEqual(pending);
    expect(JSON.stringify([pending, listed])).not.toMatch(new RegExp(`"${login.numberMatch}"`));
    socket.disconnect();
  });

  it("a wrongly typed number denies the login for good and is audited, even if the code is right", async () => {
    const socket = await connectClient(hub);
    const login = await openPushedLogin(socket, alice.account);
    const denied = new Promise<PushPayload<"challenge:denied">>((resolve) => socket.once("challenge:denied", resolve));
    const typed = otherNumber(login.numberMatch!);
    const ack = await deviceCall(alice.deviceSocket, "challenge:approve", { challengeId: login.challengeId, otp: alice.device.nextCode(), numberMatch: typed });
    expect(ack).toMatchObject({ ok: false, error: { code: "challenge_denied" } });
    expect(await denied).toEqual({ challengeId: login.challengeId, reason: "wrong_number" });
    expect(await deviceCall(alice.deviceSocket, "challenge:approve", { challengeId: login.challengeId, otp: alice.device.nextCode(), numberMatch: login.numberMatch! })).toMatchObject({
      ok: false,
      error: { code: "challenge_used" },
    });
    expect(await call(socket, "auth:complete", { challengeId: login.challengeId, signature: login.signature })).toMatchObject({ ok: false, error: { code: "challenge_denied" } });
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { action: "login.number_mismatch" } });
    expect(audit.map((event) => JSON.parse(event.details ?? "{}").challengeId)).toContain(login.challengeId);
    socket.disconnect();
  });
});

describe("the per-account push limit", () => {
  const { points, durationSeconds } = DEFAULT_RATE_LIMITS.loginPushesPerAccount;
  let hub: TestHub;
  let carol: Owner;
  beforeAll(async () => {
    hub = await startTestHub({ rateLimits: { loginPushesPerAccount: DEFAULT_RATE_LIMITS.loginPushesPerAccount } });
    carol = await ownerWithDevice(hub, "carol");
  });
  afterAll(async () => {
    carol.deviceSocket.disconnect();
    await hub.destroy();
  });

  it(`pushes a new machine's logins ${points} times in ${durationSeconds / 60} minutes, then says so and pushes no more, while the owner's own key is still pushed`, async () => {
    const stranger = generateTestKeys();
    const socket = await connectClient(hub);
    for (let push = 0; push < points; push += 1) {
      const login = await openPushedLogin(socket, carol.account, { keys: stranger });
      expect(login.proof).toMatchObject({ devicesAsked: 1, newKey: true });
    }
    const refused = await openPushedLogin(socket, carol.account, { keys: stranger });
    expect(refused.proof).toEqual({ devicesAsked: 0, newKey: true, pushLimited: { reason: "too_many", retryAfterSeconds: expect.any(Number) } });
    expect(refused.proof.pushLimited!.retryAfterSeconds).toBeLessThanOrEqual(durationSeconds);

    // The stranger used up the new machines' budget, not the owner's: the owner's key still rings the device.
    const marker = await pushedMarker(hub, carol);
    expect(carol.seen.map((pending) => pending.challengeId)).not.toContain(refused.challengeId);
    expect(carol.seen.at(-1)!.challengeId).toBe(marker.challengeId);
    expect(carol.seen).toHaveLength(points + 1);
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { action: "login.push_limited" } });
    expect(audit).toHaveLength(1);
    socket.disconnect();
    marker.socket.disconnect();
  });

  it(`pushes the owner's own key ${points} times too, after which the typed code still logs in`, async () => {
    const socket = await connectClient(hub);
    // One push of this key's budget went to the marker above.
    for (let push = 1; push < points; push += 1) expect((await openPushedLogin(socket, carol.account)).proof.devicesAsked).toBe(1);
    const limited = await openPushedLogin(socket, carol.account);
    expect(limited.proof).toMatchObject({ devicesAsked: 0, newKey: false, pushLimited: { reason: "too_many" } });
    expect(limited.numberMatch).toBeUndefined();
    expectOk(await call(socket, "auth:complete", { challengeId: limited.challengeId, signature: limited.signature, otp: carol.device.nextCode() }));
    socket.disconnect();
  });
});

describe('"this wasn\'t me"', () => {
  let hub: TestHub;
  let dave: Owner;
  let session: TestSocket;
  beforeAll(async () => {
    hub = await startTestHub();
    dave = await ownerWithDevice(hub, "dave");
    // dave's own signed-in client elsewhere, which must hear of it.
    session = await connectClient(hub);
    const challenge = expectOk(await call(session, "auth:login", { username: "dave", password: dave.account.password }));
    const signature = signChallenge(dave.account.keys.privateKey, challenge.challengeId, challenge.nonce);
    expectOk(await call(session, "auth:complete", { challengeId: challenge.challengeId, signature, otp: dave.device.nextCode() }));
  });
  afterAll(async () => {
    session.disconnect();
    dave.deviceSocket.disconnect();
    await hub.destroy();
  });

  it("denies the login, tells the person's other sessions live, audits it, and holds further pushes", async () => {
    const intruderKeys = generateTestKeys();
    const intruder = await connectClient(hub, {}, "127.0.0.1");
    const next = nextPending(dave.deviceSocket);
    const login = await openPushedLogin(intruder, dave.account, { keys: intruderKeys, clientName: "kali" });
    await next;
    // A second request of the same flood, waiting on the device too.
    const second = await openPushedLogin(intruder, dave.account, { keys: intruderKeys, clientName: "kali" });

    const told = new Promise<PushPayload<"login:not-me">>((resolve) => session.once("login:not-me", resolve));
    const deniedToIntruder = new Promise<PushPayload<"challenge:denied">>((resolve) => intruder.once("challenge:denied", resolve));
    const before = hub.clock.now().getTime();
    const reply = expectOk(await deviceCall(dave.deviceSocket, "challenge:deny", { challengeId: login.challengeId, reason: "not-me" }));
    const heldUntil = reply.pushesHeldUntil!;
    expect(reply).toEqual({ denied: true, pushesHeldUntil: expect.any(String) });
    const heldMs = Date.parse(heldUntil) - PUSH_HOLD_AFTER_NOT_ME_SECONDS * 1000;
    expect(heldMs).toBeGreaterThanOrEqual(before);
    expect(heldMs).toBeLessThanOrEqual(hub.clock.now().getTime());
    expect(await told).toMatchObject({ challengeId: login.challengeId, client: { name: "kali" }, newKey: true, pushesHeldUntil: heldUntil, message: expect.stringContaining("change it") });
    expect(await deniedToIntruder).toMatchObject({ reason: "not_me" });

    const { challenges } = expectOk(await deviceCall(dave.deviceSocket, "challenge:list", {}));
    expect(challenges.map((pending) => pending.challengeId)).not.toContain(second.challengeId);
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { action: "login.reported_not_me" } });
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.details ?? "{}")).toMatchObject({ challengeId: login.challengeId, clientName: "kali", newKey: true, pushesHeldUntil: heldUntil });

    // Held: the intruder's next try and even the owner's own key ring nothing; the owner's typed code still works.
    const seenBefore = dave.seen.length;
    const heldTry = await openPushedLogin(intruder, dave.account, { keys: intruderKeys });
    expect(heldTry.proof).toEqual({ devicesAsked: 0, newKey: true, pushLimited: { reason: "held_not_me", retryAfterSeconds: expect.any(Number) } });
    expect(heldTry.proof.pushLimited!.retryAfterSeconds).toBeLessThanOrEqual(PUSH_HOLD_AFTER_NOT_ME_SECONDS);
    const owner = await connectClient(hub);
    const ownLogin = await openPushedLogin(owner, dave.account);
    expect(ownLogin.proof.pushLimited).toMatchObject({ reason: "held_not_me" });
    expectOk(await call(owner, "auth:complete", { challengeId: ownLogin.challengeId, signature: ownLogin.signature, otp: dave.device.nextCode() }));
    expect(dave.seen).toHaveLength(seenBefore);

    // Once the hold has passed, the owner's login rings the device again.
    hub.clock.advance(PUSH_HOLD_AFTER_NOT_ME_SECONDS * 1000);
    const marker = await pushedMarker(hub, dave);
    expect(dave.seen.slice(seenBefore).map((pending) => pending.challengeId)).toEqual([marker.challengeId]);
    marker.socket.disconnect();
    owner.disconnect();
    intruder.disconnect();
  });
});
