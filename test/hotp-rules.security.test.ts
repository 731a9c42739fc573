import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { listUserDevices } from "../server/devices/devices.ts";
import { HOTP_LIFETIME_FAILURES, HOTP_LOCKOUT_SECONDS, HOTP_LOOK_AHEAD, HOTP_MAX_FAILURES, HOTP_RESYNC_LIMIT } from "../server/devices/hotp.ts";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, type TestAccount } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, registerWithDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
const alice = newAccount("alice");
let device: TestDevice;

beforeAll(async () => {
  hub = await startTestHub();
  device = await registerWithDevice(hub, alice);
});
afterAll(() => hub.destroy());

/** One whole login attempt with the given code; answers the auth:complete ack. */
async function loginWithCode(code: string, account: TestAccount = alice, target: TestHub = hub) {
  return loginWith({ otp: code }, account, target);
}

async function loginWith(proof: { otp?: string; recoveryCode?: string }, account: TestAccount, target: TestHub) {
  const socket = await connectClient(target);
  const challenge = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const ack = await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature, ...proof });
  socket.disconnect();
  return ack;
}

const storedCounter = async () => (await hub.hub.context.db.device.findUniqueOrThrow({ where: { id: device.deviceId } })).counter;

describe("HOTP rules (RFC 4226)", () => {
  it("accepts a code up to the look-ahead window ahead, and moves the counter past it", async () => {
    const start = await storedCounter();
    expectOk(await loginWithCode(device.codeAt(start + HOTP_LOOK_AHEAD - 1)));
    expect(await storedCounter()).toBe(start + HOTP_LOOK_AHEAD);
  });

  it("never accepts a used or older code again", async () => {
    const start = await storedCounter();
    expectOk(await loginWithCode(device.codeAt(start)));
    expect(await loginWithCode(device.codeAt(start))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect(await loginWithCode(device.codeAt(start - 1))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
  });

  it("does not accept a code just past the window; resynchronises only with the next consecutive code (7.4)", async () => {
    const start = await storedCounter();
    const far = start + HOTP_LOOK_AHEAD + 20;
    expect(await loginWithCode(device.codeAt(far))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect(await loginWithCode(device.codeAt(far))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect(await storedCounter()).toBe(start);
    expectOk(await loginWithCode(device.codeAt(far + 1)));
    expect(await storedCounter()).toBe(far + 2);
  });

  it("does not resynchronise on a code that skips one", async () => {
    const start = await storedCounter();
    const far = start + HOTP_LOOK_AHEAD + 5;
    await loginWithCode(device.codeAt(far));
    await loginWithCode(device.codeAt(far + 2));
    expect(await storedCounter()).toBe(start);
  });

  it("never resynchronises from further than 100 codes ahead", async () => {
    const start = await storedCounter();
    const tooFar = start + 150;
    await loginWithCode(device.codeAt(tooFar));
    expect(await loginWithCode(device.codeAt(tooFar + 1))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect(await storedCounter()).toBe(start);
  });

  it("lets exactly one of two concurrent logins use the same code", async () => {
    const code = device.codeAt(await storedCounter());
    const answers = await Promise.all([loginWithCode(code), loginWithCode(code), loginWithCode(code)]);
    expect(answers.filter((ack) => ack.ok)).toHaveLength(1);
  });
});

describe("lockout after repeated failures (RFC 4226 7.3)", () => {
  it(`locks the device's code checks after ${HOTP_MAX_FAILURES} failures, tells the person, and holds across a hub restart`, async () => {
    const root = mkRoot();
    let lockHub = await startTestHub({ root, rateLimits: { loginFailuresPerAddress: { points: 1000, durationSeconds: 60 } } });
    const bob = newAccount("bob");
    await register(lockHub, bob);
    const { socket: watcher } = await logIn(lockHub, bob);
    const bobDevice = await pairDevice(lockHub, watcher);
    const notice = nextPush<PushPayload<"security:notice">>(watcher, "security:notice");

    const wrong = (i: number) => String((Number(bobDevice.codeAt(0)) + 1 + i) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < HOTP_MAX_FAILURES - 1; i += 1) {
      expect(await loginWithCode(wrong(i), bob, lockHub)).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    }
    // The code that locks the device says so, with how long, rather than inviting another try.
    expect(await loginWithCode(wrong(HOTP_MAX_FAILURES), bob, lockHub)).toMatchObject({
      ok: false,
      error: { code: "otp_locked", retryAfterSeconds: expect.any(Number), message: expect.stringContaining("A recovery code still works") },
    });
    expect((await notice).kind).toBe("otp_locked");
    const locked = await loginWithCode(bobDevice.codeAt(0), bob, lockHub);
    expect(locked).toMatchObject({ ok: false, error: { code: "otp_locked" } });
    if (!locked.ok) expect(locked.error.retryAfterSeconds).toBeGreaterThan(HOTP_LOCKOUT_SECONDS - 60);
    watcher.disconnect();

    await lockHub.stop();
    lockHub = await startTestHub({ root, clock: lockHub.clock });
    expect(await loginWithCode(bobDevice.codeAt(0), bob, lockHub)).toMatchObject({ ok: false, error: { code: "otp_locked" } });

    // Once the lock runs out, the right code works again.
    lockHub.clock.advance(HOTP_LOCKOUT_SECONDS * 1000);
    expectOk(await loginWithCode(bobDevice.codeAt(0), bob, lockHub));
    await lockHub.destroy();
  });

  it("tells a login when every device is locked, and offers the request to no device", async () => {
    const lockHub = await startTestHub({ root: mkRoot() });
    try {
      const cy = newAccount("cyd");
      const cyDevice = await registerWithDevice(lockHub, cy);
      const lockedFor = 10 * 60 * 1000;
      const lockedUntil = new Date(lockHub.clock.now().getTime() + lockedFor);
      await lockHub.hub.context.db.device.update({ where: { id: cyDevice.deviceId }, data: { lockedUntil } });
      const deviceSocket = await connectDevice(lockHub, { deviceId: cyDevice.deviceId, deviceToken: cyDevice.deviceToken });
      const offered: unknown[] = [];
      deviceSocket.on("challenge:new", (pending) => offered.push(pending));

      const socket = await connectClient(lockHub);
      const challenge = expectOk(await call(socket, "auth:login", { username: "cyd", password: cy.password }));
      expect(challenge).toMatchObject({ factors: ["signature", "otp"], otpLockedUntil: lockedUntil.toISOString() });
      // Asked for directly, as after a reconnect, the device sees nothing waiting either...
      expect(expectOk(await deviceCall(deviceSocket, "challenge:list", {})).challenges).toEqual([]);
      expect(offered).toEqual([]);

      // ...and once the lock is over, logins are offered to it again, without the field.
      lockHub.clock.advance(lockedFor);
      const pushed = nextPush(deviceSocket, "challenge:new");
      const next = expectOk(await call(socket, "auth:login", { username: "cyd", password: cy.password }));
      expect(next).not.toHaveProperty("otpLockedUntil");
      await pushed;
      socket.disconnect();
      deviceSocket.disconnect();
    } finally {
      await lockHub.destroy();
    }
  });

  it("a success resets the failure count", async () => {
    await hub.hub.context.db.device.update({ where: { id: device.deviceId }, data: { failedAttempts: 0 } });
    const start = await storedCounter();
    for (let i = 0; i < HOTP_MAX_FAILURES - 1; i += 1) await loginWithCode("000000" === device.codeAt(start) ? "111111" : "000000");
    expectOk(await loginWithCode(device.codeAt(start)));
    const row = await hub.hub.context.db.device.findUniqueOrThrow({ where: { id: device.deviceId } });
    expect(row.failedAttempts).toBe(0);
    expect(row.lockedUntil).toBeNull();
  });
});

describe("lockout bounded for the device's life (NIST SP 800-63B 5.2.2)", () => {
  let lifeHub: TestHub;
  const generous = { points: 100_000, durationSeconds: 60 };
  beforeAll(async () => {
    lifeHub = await startTestHub({
      root: mkRoot(),
      rateLimits: { loginFailuresPerAddress: generous, loginFailuresPerAccount: generous, loginFailuresPerAccountAddress: generous, loginFailuresPerKey: generous },
    });
  });
  afterAll(() => lifeHub.destroy());

  /** Registers the account, pairs a device and makes recovery codes, all while the login is fresh. */
  async function ownerWithDevice(name: string) {
    const account = newAccount(name);
    await register(lifeHub, account);
    const { socket } = await logIn(lifeHub, account);
    const paired = await pairDevice(lifeHub, socket);
    const { codes } = expectOk(await call(socket, "recovery:generate", {}));
    // Wrong for sure: no code the device could make from counter 0 to past the resynchronisation bound.
    const real = new Set(Array.from({ length: HOTP_RESYNC_LIMIT + 20 }, (_, counter) => paired.codeAt(counter)));
    const wrong = Array.from({ length: 400 }, (_, i) => String(123_457 + i * 7919).padStart(6, "0")).filter((code) => !real.has(code));
    const row = async () => lifeHub.hub.context.db.device.findUniqueOrThrow({ where: { id: paired.deviceId } });
    return { account, socket, paired, codes, wrong, row };
  }

  /** Ten wrong codes in a row: the tenth starts a lock, and its answer says so. */
  async function failTen(account: TestAccount, wrong: string[], from: number) {
    for (let i = 0; i < HOTP_MAX_FAILURES - 1; i += 1) {
      expect(await loginWithCode(wrong[from + i]!, account, lifeHub)).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    }
    const locking = await loginWithCode(wrong[from + HOTP_MAX_FAILURES - 1]!, account, lifeHub);
    expect(locking).toMatchObject({ ok: false, error: { code: "otp_locked" } });
    return locking.ok ? undefined : locking.error;
  }

  /** Every lock in turn, each waited out, up to the lifetime bound; answers the last refusal. */
  async function failForLife(account: TestAccount, wrong: string[]) {
    let last;
    for (let lock = 1; lock <= HOTP_LIFETIME_FAILURES / HOTP_MAX_FAILURES; lock += 1) {
      last = await failTen(account, wrong, (lock - 1) * HOTP_MAX_FAILURES);
      if (lock < HOTP_LIFETIME_FAILURES / HOTP_MAX_FAILURES) lifeHub.clock.advance(HOTP_LOCKOUT_SECONDS * 1000 * 2 ** (lock - 1));
    }
    return last;
  }

  it("makes the second lock last twice the first", async () => {
    const { account, socket, paired, wrong, row } = await ownerWithDevice("dana");
    socket.disconnect();
    const first = await failTen(account, wrong, 0);
    expect(first?.retryAfterSeconds).toBeGreaterThan(HOTP_LOCKOUT_SECONDS - 60);
    expect(first?.retryAfterSeconds).toBeLessThanOrEqual(HOTP_LOCKOUT_SECONDS);
    lifeHub.clock.advance(HOTP_LOCKOUT_SECONDS * 1000);

    const second = await failTen(account, wrong, HOTP_MAX_FAILURES);
    expect(second?.retryAfterSeconds).toBeGreaterThan(2 * HOTP_LOCKOUT_SECONDS - 60);
    expect(second?.retryAfterSeconds).toBeLessThanOrEqual(2 * HOTP_LOCKOUT_SECONDS);
    // The first lock's length is not enough any more...
    lifeHub.clock.advance(HOTP_LOCKOUT_SECONDS * 1000);
    expect(await loginWithCode(paired.codeAt(0), account, lifeHub)).toMatchObject({ ok: false, error: { code: "otp_locked" } });
    // ...twice it is, and the success clears the count.
    lifeHub.clock.advance(HOTP_LOCKOUT_SECONDS * 1000);
    expectOk(await loginWithCode(paired.codeAt(0), account, lifeHub));
    expect(await row()).toMatchObject({ failedAttempts: 0 });
  });

  it(`after ${HOTP_LIFETIME_FAILURES} failures in a row stays locked whatever the wait, until a recovery-code login unlocks it`, async () => {
    const { account, socket, paired, codes, wrong, row } = await ownerWithDevice("erin");
    socket.disconnect();
    const last = await failForLife(account, wrong);
    expect(last).not.toHaveProperty("retryAfterSeconds");
    expect(last?.message).toContain("recovery code");
    expect(last?.message).toContain("administrator");
    const db = lifeHub.hub.context.db;
    const user = await db.user.findUniqueOrThrow({ where: { username: account.username } });
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "device.otp_locked" } })).toBe(HOTP_LIFETIME_FAILURES / HOTP_MAX_FAILURES);

    lifeHub.clock.advance(365 * 24 * 3600 * 1000);
    expect(await loginWithCode(paired.codeAt(0), account, lifeHub)).toMatchObject({ ok: false, error: { code: "otp_locked" } });
    const asked = await connectClient(lifeHub);
    const challenge = expectOk(await call(asked, "auth:login", { username: account.username, password: account.password }));
    expect(challenge).toMatchObject({ otpNeedsOwnerUnlock: true });
    expect(challenge).not.toHaveProperty("otpLockedUntil");
    asked.disconnect();
    expect(await listUserDevices(lifeHub.hub.context, user.id)).toMatchObject([{ lockedUntil: null, needsOwnerUnlock: true }]);

    expectOk(await loginWith({ recoveryCode: codes[0]! }, account, lifeHub));
    expect(await row()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    expect(await db.auditEvent.count({ where: { userId: user.id, action: "device.otp_unlocked" } })).toBe(1);
    expect(await listUserDevices(lifeHub.hub.context, user.id)).toMatchObject([{ needsOwnerUnlock: false }]);
    expectOk(await loginWithCode(paired.codeAt(0), account, lifeHub));
  });

  it("tells the person when a recovery-code login unlocks the device", async () => {
    const { account, socket, paired, codes, wrong } = await ownerWithDevice("fynn");
    socket.disconnect();
    await failForLife(account, wrong);
    // The device itself hears it: its session does not age out while the clock runs on.
    const deviceSocket = await connectDevice(lifeHub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken });
    const unlocked = new Promise<PushPayload<"security:notice">>((resolve) => {
      deviceSocket.on("security:notice", (notice) => {
        if (notice.kind === "otp_unlocked") resolve(notice);
      });
    });
    expectOk(await loginWith({ recoveryCode: codes[0]! }, account, lifeHub));
    expect((await unlocked).message).toContain("recovery code");
    deviceSocket.disconnect();
  });

  it("an administrator's unlock also lifts the lifetime lock", async () => {
    const { account, socket, paired, wrong, row } = await ownerWithDevice("gus");
    socket.disconnect();
    await failForLife(account, wrong);
    const root = newAccount("root");
    await register(lifeHub, root);
    await lifeHub.hub.context.db.user.update({ where: { username: "root" }, data: { role: "admin" } });
    const { socket: admin } = await logIn(lifeHub, root);
    const user = await lifeHub.hub.context.db.user.findUniqueOrThrow({ where: { username: account.username } });
    expectOk(await call(admin, "admin:unlock-user", { userId: user.id }));
    admin.disconnect();
    expect(await row()).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    expectOk(await loginWithCode(paired.codeAt(0), account, lifeHub));
  });

  it(`counts a code ${HOTP_LOOK_AHEAD} to ${HOTP_RESYNC_LIMIT} steps ahead as a failure; the next consecutive code still resynchronises`, async () => {
    const { account, socket, paired, wrong, row } = await ownerWithDevice("hale");
    socket.disconnect();
    const far = HOTP_LOOK_AHEAD + 30;
    expect(await loginWithCode(paired.codeAt(far), account, lifeHub)).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect(await row()).toMatchObject({ failedAttempts: 1 });
    expectOk(await loginWithCode(paired.codeAt(far + 1), account, lifeHub));
    expect(await row()).toMatchObject({ failedAttempts: 0, counter: far + 2 });

    // Far-ahead codes alone lock the device like any wrong code.
    for (let i = 0; i < HOTP_MAX_FAILURES - 1; i += 1) await loginWithCode(wrong[i]!, account, lifeHub);
    expect(await loginWithCode(paired.codeAt(far + 2 + HOTP_LOOK_AHEAD + 5), account, lifeHub)).toMatchObject({
      ok: false,
      error: { code: "otp_locked", retryAfterSeconds: expect.any(Number) },
    });
  });
});

function mkRoot(): string {
  return mkdtempSync(path.join(os.tmpdir(), "pairgate-lock-"));
}
