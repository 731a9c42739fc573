import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { listUserDevices } from "../server/devices/devices.ts";
import { HOTP_LIFETIME_FAILURES, HOTP_LOCKOUT_SECONDS, HOTP_LOOK_AHEAD, HOTP_MAX_FAILURES, HOTP_RESYNC_LIMIT } from "../server/devices/hotp.ts";
import { call, connectClient, expectOk, logIn, logInWithProof, newAccount, register, type TestAccount } from "./support/client.ts";
import { connectDevice, pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

// Escalating locks and the lifetime bound on wrong codes; the per-window rules are in hotp-rules.security.test.ts.

const loginWithCode = (code: string, account: TestAccount, target: TestHub) => logInWithProof(target, account, { otp: code });
const loginWith = (proof: { otp?: string; recoveryCode?: string }, account: TestAccount, target: TestHub) => logInWithProof(target, account, proof);
const mkRoot = () => mkdtempSync(path.join(os.tmpdir(), "pairgate-lock-"));

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
