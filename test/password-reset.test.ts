import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_CODE_MAX_ATTEMPTS, PASSWORD_RESET_TTL_SECONDS } from "#protocol";
import { call, connectClient, connectSharedClient, expectOk, logIn, newAccount, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { connectDevice, nextPush, pairDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, startTestSmtpServer, unreachableSmtpUrl, type TestSmtpServer } from "./support/mail.ts";

const SUBJECT = /Reset your PairGate password/;
const NEW_PASSWORD = "amber-falcon-harbour-77";

let smtp: TestSmtpServer;
let hub: TestHub;
let socket: TestSocket;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  // The limits of 3 requests a minute have their own tests (email-codes.security.test.ts).
  const plenty = { points: 100, durationSeconds: 60 };
  hub = await startTestHub({ env: { SMTP_URL: smtp.url }, rateLimits: { resetMailsPerAddress: plenty, resetMailsPerAccount: plenty } });
  socket = await connectSharedClient(hub);
});
afterAll(async () => {
  socket.disconnect();
  await hub.destroy();
  await smtp.close();
});

/** Asks for a reset code and waits for the email that carries it. */
async function forgotCode(account: TestAccount, login = account.username): Promise<string> {
  const before = smtp.messages.filter((mail) => mail.to === account.email && SUBJECT.test(mail.subject)).length;
  expect(await call(socket, "password:forgot", { login })).toEqual({ ok: true, data: { sent: true } });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = smtp.messages.filter((mail) => mail.to === account.email && SUBJECT.test(mail.subject));
    if (mails.length > before) return codeIn(mails.at(-1)!);
    if (Date.now() > deadline) throw new Error("no reset email");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function registered(name: string): Promise<TestAccount> {
  const account = newAccount(name);
  await register(hub, account);
  return account;
}

const wrongCode = (code: string) => (code === "000000" ? "111111" : "000000");

describe("password:forgot and password:reset", () => {
  it("resets the password with the code emailed for the username; the old password stops working", async () => {
    const anna = await registered("anna");
    const code = await forgotCode(anna);
    expect(expectOk(await call(socket, "password:reset", { username: "anna", code, newPassword: NEW_PASSWORD }))).toEqual({ reset: true });
    expect(await call(socket, "auth:login", { username: "anna", password: anna.password })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    const { socket: session } = await logIn(hub, { ...anna, password: NEW_PASSWORD });
    session.disconnect();
  });

  it("finds the account by its email address too", async () => {
    const bert = await registered("bert");
    const code = await forgotCode(bert, bert.email.toUpperCase());
    expectOk(await call(socket, "password:reset", { username: "bert", code, newPassword: NEW_PASSWORD }));
  });

  it("ends every session, telling the clients first (security:notice password_reset, then session:revoked)", async () => {
    const cleo = await registered("cleo");
    const { socket: first, token } = await logIn(hub, cleo);
    const { socket: second } = await logIn(hub, cleo);
    const seen: string[] = [];
    first.on("security:notice", (notice) => seen.push(`notice:${notice.kind}`));
    first.on("session:revoked", (push) => seen.push(`revoked:${push.reason}`));
    const secondRevoked = nextPush(second, "session:revoked");

    const code = await forgotCode(cleo);
    expectOk(await call(socket, "password:reset", { username: "cleo", code, newPassword: NEW_PASSWORD }));
    await secondRevoked;
    await expect.poll(() => seen).toEqual(["notice:password_reset", "revoked:password_reset"]);
    expect(await hub.hub.context.db.session.count({ where: { user: { username: "cleo" } } })).toBe(0);
    await expect(connectClient(hub, { token })).rejects.toThrow();
    first.disconnect();
    second.disconnect();
  });

  it(`makes a code valid ${PASSWORD_RESET_TTL_SECONDS / 60} minutes, and refuses it once expired`, async () => {
    const dana = await registered("dana");
    const code = await forgotCode(dana);
    const row = await hub.hub.context.db.emailCode.findFirstOrThrow({ where: { user: { username: "dana" }, purpose: "password_reset" } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeCloseTo(PASSWORD_RESET_TTL_SECONDS * 1000, -3);
    hub.clock.advance(PASSWORD_RESET_TTL_SECONDS * 1000);
    expect(await call(socket, "password:reset", { username: "dana", code, newPassword: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it(`kills the code after ${EMAIL_CODE_MAX_ATTEMPTS} wrong tries`, async () => {
    const egon = await registered("egon");
    const code = await forgotCode(egon);
    for (let i = 0; i < EMAIL_CODE_MAX_ATTEMPTS; i += 1) {
      expect(await call(socket, "password:reset", { username: "egon", code: wrongCode(code), newPassword: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    }
    expect(await call(socket, "password:reset", { username: "egon", code, newPassword: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("uses a code once", async () => {
    const fay = await registered("fay");
    const code = await forgotCode(fay);
    expectOk(await call(socket, "password:reset", { username: "fay", code, newPassword: NEW_PASSWORD }));
    expect(await call(socket, "password:reset", { username: "fay", code, newPassword: "copper-lantern-meadow-19" })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("replaces an older code with a newer one", async () => {
    const gus = await registered("gus");
    const first = await forgotCode(gus);
    const second = await forgotCode(gus);
    if (first !== second) expect(await call(socket, "password:reset", { username: "gus", code: first, newPassword: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    expectOk(await call(socket, "password:reset", { username: "gus", code: second, newPassword: NEW_PASSWORD }));
  });

  it("refuses a weak new password with the reason, and the code still works for a better one", async () => {
    const hugo = await registered("hugo");
    const code = await forgotCode(hugo);
    const weak = await call(socket, "password:reset", { username: "hugo", code, newPassword: "password1" });
    expect(weak).toMatchObject({ ok: false, error: { code: "weak_password" } });
    expectOk(await call(socket, "password:reset", { username: "hugo", code, newPassword: NEW_PASSWORD }));
  });

  it("answers an unknown username exactly as a wrong code", async () => {
    const ines = await registered("ines");
    const code = await forgotCode(ines);
    const unknown = await call(socket, "password:reset", { username: "no-such-user", code, newPassword: NEW_PASSWORD });
    const wrong = await call(socket, "password:reset", { username: "ines", code: wrongCode(code), newPassword: NEW_PASSWORD });
    expect(unknown).toEqual(wrong);
    expect(wrong).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("audits the request and the reset", async () => {
    const actions = (await hub.hub.context.db.auditEvent.findMany({ where: { user: { username: "anna" } } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["password.reset_requested", "password.reset"]));
  });
});

describe("password:reset on an account with a paired device", () => {
  let owner: TestAccount;
  let device: TestDevice;

  beforeAll(async () => {
    owner = await registered("jonas");
    const { socket: session } = await logIn(hub, owner);
    device = await pairDevice(hub, session);
    session.disconnect();
  });

  it("asks for the device's code (otp_required) once the emailed code is right, and refuses a wrong one", async () => {
    const code = await forgotCode(owner);
    expect(await call(socket, "password:reset", { username: "jonas", code, newPassword: NEW_PASSWORD })).toMatchObject({ ok: false, error: { code: "otp_required" } });
    const wrongOtp = device.codeAt(device.counter + 50);
    expect(await call(socket, "password:reset", { username: "jonas", code, newPassword: NEW_PASSWORD, otp: wrongOtp })).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
  });

  it("resets with the device's current code, and tells the device", async () => {
    const deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const notice = nextPush<{ kind: string }>(deviceSocket, "security:notice");
    const code = await forgotCode(owner);
    expectOk(await call(socket, "password:reset", { username: "jonas", code, newPassword: NEW_PASSWORD, otp: device.nextCode() }));
    expect((await notice).kind).toBe("password_reset");
    deviceSocket.disconnect();
    owner = { ...owner, password: NEW_PASSWORD };
  });

  it("resets with a recovery code instead, which then works no more", async () => {
    const { socket: session } = await loginWithDevice(owner, device);
    const { codes } = expectOk(await call(session, "recovery:generate", {}));
    session.disconnect();

    const code = await forgotCode(owner);
    const recoveryCode = codes[0]!.toLowerCase().replace("-", "");
    expectOk(await call(socket, "password:reset", { username: "jonas", code, newPassword: "copper-lantern-meadow-19", recoveryCode }));

    const again = await forgotCode(owner);
    expect(await call(socket, "password:reset", { username: "jonas", code: again, newPassword: NEW_PASSWORD, recoveryCode: codes[0]! })).toMatchObject({
      ok: false,
      error: { code: "invalid_code", details: [{ path: "recoveryCode" }] },
    });
    const actions = (await hub.hub.context.db.auditEvent.findMany({ where: { user: { username: "jonas" } } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["recovery.code_used", "recovery.code_failed"]));
  });
});

async function loginWithDevice(account: TestAccount, device: TestDevice) {
  const s = await connectClient(hub);
  const challenge = expectOk(await call(s, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const done = expectOk(await call(s, "auth:complete", { challengeId: challenge.challengeId, signature, otp: device.nextCode() }));
  return { socket: s, token: done.token };
}

describe("password:forgot off the request path", () => {
  it("answers an existing and an unknown account alike, at once, while a slow mail server is still taking the email", async () => {
    const slow = await startTestSmtpServer({ acceptDelayMs: 1500 });
    const slowHub = await startTestHub({ env: { SMTP_URL: slow.url } });
    try {
      const kurt = newAccount("kurt");
      await register(slowHub, kurt);
      const s = await connectClient(slowHub);
      const timed = async (login: string) => {
        const started = performance.now();
        const reply = await call(s, "password:forgot", { login });
        return { reply, ms: performance.now() - started };
      };
      const known = await timed("kurt");
      const unknown = await timed("nobody-at-all");
      expect(known.reply).toEqual(unknown.reply);
      expect(known.reply).toEqual({ ok: true, data: { sent: true } });
      expect(known.ms).toBeLessThan(1000);
      expect(unknown.ms).toBeLessThan(1000);
      expect(slow.messages).toHaveLength(0); // the email was still on its way when the answer came
      await slow.waitForMail(kurt.email, SUBJECT);
      s.disconnect();
    } finally {
      await slowHub.destroy();
      await slow.close();
    }
  });

  it("still answers sent when the mail server is down, and logs the failure", async () => {
    const downHub = await startTestHub({ env: { SMTP_URL: await unreachableSmtpUrl() } });
    try {
      const lena = newAccount("lena");
      await register(downHub, lena);
      const s = await connectClient(downHub);
      expect(await call(s, "password:forgot", { login: "lena" })).toEqual({ ok: true, data: { sent: true } });
      s.disconnect();
      await expect.poll(() => downHub.logs.some((line) => line.includes("password reset email could not be sent")), { timeout: 15_000 }).toBe(true);
      expect(await downHub.hub.context.db.emailCode.count()).toBe(0);
    } finally {
      await downHub.destroy();
    }
  });
});
