import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { HOTP_LOCKOUT_SECONDS, HOTP_LOOK_AHEAD, HOTP_MAX_FAILURES } from "../server/devices/hotp.ts";
import { call, connectClient, expectOk, logIn, logInWithProof, newAccount, openPushedLogin, register, type TestAccount } from "./support/client.ts";
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
const loginWithCode = (code: string, account: TestAccount = alice, target: TestHub = hub) => logInWithProof(target, account, { otp: code });

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
      const next = await openPushedLogin(socket, cy);
      expect(next.proof).not.toHaveProperty("otpLockedUntil");
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

function mkRoot(): string {
  return mkdtempSync(path.join(os.tmpdir(), "pairgate-lock-"));
}
