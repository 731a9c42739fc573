import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HOTP_MAX_FAILURES } from "../server/devices/hotp.ts";
import { TOTP_PERIOD_SECONDS } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { enrolStandardApp, oathtoolTotp, type EnrolledApp } from "./support/standard-device.ts";

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;
let hub: TestHub;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await hub.destroy();
});

/** A new account with a confirmed TOTP app, the hub's clock held, then moved past the confirming code's step. */
async function accountWithTotpApp(name: string): Promise<{ account: TestAccount; app: EnrolledApp }> {
  const account = newAccount(name);
  await register(hub, account);
  const { socket } = await logIn(hub, account);
  sockets.push(socket);
  const app = await enrolStandardApp(hub, socket, "totp");
  hub.clock.advance(STEP_MS);
  return { account, app };
}

async function logInWithCode(account: TestAccount, otp: string) {
  const socket = await connectClient(hub);
  sockets.push(socket);
  const started = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, started.challengeId, started.nonce);
  return call(socket, "auth:complete", { challengeId: started.challengeId, signature, otp });
}

describe("TOTP codes of a standard app", () => {
  it("are refused when replayed inside their own 30-second window", async () => {
    hub.clock.hold();
    try {
      const { account, app } = await accountWithTotpApp("totp-replay");
      const code = oathtoolTotp(app.secret, hub.clock.now());
      expect((await logInWithCode(account, code)).ok).toBe(true);
      expect(await logInWithCode(account, code)).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    } finally {
      hub.clock.release();
    }
  });

  it("are refused for an earlier step once a later one was used, though still within the skew", async () => {
    hub.clock.hold();
    try {
      const { account, app } = await accountWithTotpApp("totp-older");
      expect((await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now(), 1))).ok).toBe(true);
      expect(await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now()))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    } finally {
      hub.clock.release();
    }
  });

  it("pass one step behind or ahead of the hub's clock, and not two", async () => {
    hub.clock.hold();
    try {
      const { account, app } = await accountWithTotpApp("totp-skew");
      // One more step, so that the step behind is not the confirming code's, which is used.
      hub.clock.advance(STEP_MS);
      expect(await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now(), -2))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
      expect((await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now(), -1))).ok).toBe(true);
      expect(await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now(), 2))).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
      expect((await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now(), 1))).ok).toBe(true);
    } finally {
      hub.clock.release();
    }
  });

  it("lock the app after ten wrong codes in a row, like the paired authenticator, even for its right code", async () => {
    hub.clock.hold();
    try {
      const { account, app } = await accountWithTotpApp("totp-lockout");
      const right = oathtoolTotp(app.secret, hub.clock.now());
      const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, "0");
      for (let failure = 1; failure < HOTP_MAX_FAILURES; failure += 1) {
        expect(await logInWithCode(account, wrong)).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
      }
      expect(await logInWithCode(account, wrong)).toMatchObject({ ok: false, error: { code: "otp_locked" } });
      expect(await logInWithCode(account, right)).toMatchObject({ ok: false, error: { code: "otp_locked", retryAfterSeconds: expect.any(Number) } });
    } finally {
      hub.clock.release();
    }
  });

  it("pass only once when two logins send the same code at the same moment", async () => {
    hub.clock.hold();
    try {
      const { account, app } = await accountWithTotpApp("totp-race");
      const code = oathtoolTotp(app.secret, hub.clock.now());
      const answers = await Promise.all([logInWithCode(account, code), logInWithCode(account, code)]);
      expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
    } finally {
      hub.clock.release();
    }
  });
});

describe("a standard app", () => {
  it("gets no device token, so nothing can connect to /device as it", async () => {
    const { app } = await accountWithTotpApp("no-token");
    const row = await hub.hub.context.db.device.findUniqueOrThrow({ where: { id: app.deviceId } });
    expect(row).toMatchObject({ kind: "totp", tokenHash: null });
    expect(row.sealedSecret).not.toContain(app.secret);
  });
});
