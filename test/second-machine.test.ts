import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { parseClientPublicKey } from "../server/accounts/public-keys.ts";
import { call, connectClient, expectOk, generateTestKeys, logIn, newAccount, register, signChallenge, type TestAccount, type TestKeys, type TestSocket } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, readOutbox, unreachableSmtpUrl, waitForOutboxMail } from "./support/mail.ts";

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

const fingerprintOf = (keys: TestKeys) => {
  const parsed = parseClientPublicKey(keys.publicKeyPem);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.key.fingerprint;
};
const keyCount = (username: string) => hub.hub.context.db.clientKey.count({ where: { user: { username } } });

/** The password on a new machine: a challenge, and the new key's signature over it. */
async function loginFrom(account: TestAccount, machine: TestKeys, on?: TestHub) {
  const socket = await connectClient(on ?? hub);
  const challenge = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(machine.privateKey, challenge.challengeId, challenge.nonce);
  const complete = (extra: { otp?: string; recoveryCode?: string; emailCode?: string; publicKey?: string } = {}) =>
    call(socket, "auth:complete", { challengeId: challenge.challengeId, signature, publicKey: machine.publicKeyPem, ...extra });
  return { socket, challenge, signature, complete };
}

describe("a second machine on an account with a paired device", () => {
  let alice: TestAccount;
  let device: TestDevice;
  let laptop: TestSocket;

  beforeAll(async () => {
    alice = newAccount("alice");
    await register(hub, alice);
    ({ socket: laptop } = await logIn(hub, alice));
    device = await pairDevice(hub, laptop);
  });
  afterAll(() => laptop.disconnect());

  it("without its public key is a bad signature, as before", async () => {
    const desktop = await loginFrom(alice, generateTestKeys());
    expect(await desktop.complete({ publicKey: undefined, otp: device.nextCode() })).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
    desktop.socket.disconnect();
  });

  it("answers key_verification_required without spending the challenge, then adds the key with the device's code", async () => {
    const machine = generateTestKeys();
    const desktop = await loginFrom(alice, machine);
    expect(await desktop.complete()).toMatchObject({ ok: false, error: { code: "key_verification_required" } });
    expect(await keyCount("alice")).toBe(1);

    const notice = nextPush<PushPayload<"security:notice">>(laptop, "security:notice");
    const session = expectOk(await desktop.complete({ otp: device.nextCode() }));
    expect(session.user.username).toBe("alice");
    expect((await notice).kind).toBe("client_key_added");
    expect(await keyCount("alice")).toBe(2);
    const added = await hub.hub.context.db.auditEvent.findFirstOrThrow({ where: { action: "client_key.added", user: { username: "alice" } } });
    expect(JSON.parse(added.details!)).toMatchObject({ keyFingerprint: fingerprintOf(machine), proof: "otp" });
    desktop.socket.disconnect();

    // From now on the machine is one of the account's: its login is an ordinary one.
    const again = await loginFrom(alice, machine);
    expect(await again.complete({ publicKey: undefined })).toMatchObject({ ok: false, error: { code: "otp_required" } });
    expectOk(await again.complete({ publicKey: undefined, otp: device.nextCode() }));
    again.socket.disconnect();
    expect(await keyCount("alice")).toBe(2);
  });

  it("adds the key after the device approved the login", async () => {
    const deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const machine = generateTestKeys();
    const tablet = await loginFrom(alice, machine);
    // The new machine's signature, with its public key, asks the device: marked as a new machine.
    const pushed = nextPush<{ newKey: boolean }>(deviceSocket, "challenge:new");
    const proof = expectOk(await call(tablet.socket, "auth:prove-key", { challengeId: tablet.challenge.challengeId, signature: tablet.signature, publicKey: machine.publicKeyPem }));
    expect(proof).toMatchObject({ newKey: true, devicesAsked: 1 });
    expect(await pushed).toMatchObject({ newKey: true });
    const approved = nextPush(tablet.socket, "challenge:approved");
    expectOk(await deviceCall(deviceSocket, "challenge:approve", { challengeId: tablet.challenge.challengeId, otp: device.nextCode(), numberMatch: proof.numberMatch! }));
    await approved;
    expectOk(await tablet.complete());
    expect(await keyCount("alice")).toBe(3);
    tablet.socket.disconnect();
    deviceSocket.disconnect();
  });

  it("adds the key with a recovery code when the device is lost", async () => {
    const { codes } = expectOk(await call(laptop, "recovery:generate", {}));
    const machine = generateTestKeys();
    const borrowed = await loginFrom(alice, machine);
    expectOk(await borrowed.complete({ recoveryCode: codes[0]! }));
    expect(await keyCount("alice")).toBe(4);
    borrowed.socket.disconnect();
  });

  it("does not take an emailed code in place of the device", async () => {
    const machine = generateTestKeys();
    const other = await loginFrom(alice, machine);
    expect(await other.complete({ emailCode: "123456" })).toMatchObject({ ok: false, error: { code: "key_verification_required" } });
    // Nothing was emailed: the account has a device.
    expect(readOutbox(hub.dataDir).filter((mail) => mail.to === alice.email)).toEqual([]);
    other.socket.disconnect();
  });

  it("refuses a wrong code, adding nothing, and takes the right one on the same challenge", async () => {
    const machine = generateTestKeys();
    const other = await loginFrom(alice, machine);
    const before = await keyCount("alice");
    const wrong = device.codeAt(device.counter + 50) === "000000" ? "111111" : "000000";
    expect(await other.complete({ otp: wrong })).toMatchObject({ ok: false, error: { code: "invalid_otp", triesLeft: 2 } });
    expect(await keyCount("alice")).toBe(before);
    expect(await other.complete({ otp: device.nextCode() })).toMatchObject({ ok: true });
    expect(await keyCount("alice")).toBe(before + 1);
    other.socket.disconnect();
  });

  it("refuses a public key that is not an RSA key of 2048 bits or more", async () => {
    const weak = generateTestKeys(1024);
    const other = await loginFrom(alice, weak);
    expect(await other.complete({ otp: device.nextCode() })).toMatchObject({ ok: false, error: { code: "invalid_public_key" } });
    other.socket.disconnect();
  });
});

describe("a second machine on an account without a device", () => {
  const SUBJECT = /A new machine wants to log in/;

  it("emails a code naming the key's fingerprint, then adds the key with that code on the same challenge", async () => {
    const bob = newAccount("bob");
    await register(hub, bob);
    const { socket: laptop } = await logIn(hub, bob);
    const machine = generateTestKeys();
    const desktop = await loginFrom(bob, machine);
    expect(await desktop.complete()).toMatchObject({ ok: false, error: { code: "key_verification_required" } });
    const mail = await waitForOutboxMail(hub.dataDir, bob.email, SUBJECT);
    expect(mail.text).toContain(fingerprintOf(machine));

    const notice = nextPush<PushPayload<"security:notice">>(laptop, "security:notice");
    expectOk(await desktop.complete({ emailCode: codeIn(mail) }));
    expect((await notice).kind).toBe("client_key_added");
    expect(await keyCount("bob")).toBe(2);
    desktop.socket.disconnect();
    laptop.disconnect();
  });

  it("refuses the code sent for one machine's key to another machine", async () => {
    const carl = newAccount("carl");
    await register(hub, carl);
    const first = await loginFrom(carl, generateTestKeys());
    expect(await first.complete()).toMatchObject({ ok: false, error: { code: "key_verification_required" } });
    const code = codeIn(await waitForOutboxMail(hub.dataDir, carl.email, SUBJECT));

    const intruder = await loginFrom(carl, generateTestKeys());
    expect(await intruder.complete({ emailCode: code })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    expect(await keyCount("carl")).toBe(1);
    first.socket.disconnect();
    intruder.socket.disconnect();
  });

  it("answers mail_unavailable without spending the challenge when the code cannot be sent", async () => {
    const down = await startTestHub({ env: { SMTP_URL: await unreachableSmtpUrl() } });
    try {
      const dina = newAccount("dina");
      await register(down, dina);
      const machine = generateTestKeys();
      const desktop = await loginFrom(dina, machine, down);
      expect(await desktop.complete()).toMatchObject({ ok: false, error: { code: "mail_unavailable" } });
      expect(await down.hub.context.db.emailCode.count()).toBe(0);
      // The challenge is still open: a machine the account knows completes it.
      const signature = signChallenge(dina.keys.privateKey, desktop.challenge.challengeId, desktop.challenge.nonce);
      expectOk(await call(desktop.socket, "auth:complete", { challengeId: desktop.challenge.challengeId, signature }));
      desktop.socket.disconnect();
    } finally {
      await down.destroy();
    }
  });
});
