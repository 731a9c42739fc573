import { afterEach, describe, expect, it } from "vitest";
import { EMAIL_CODE_MAX_ATTEMPTS, PASSWORD_RESET_TTL_SECONDS } from "#protocol";
import { checkEmailCode, claimEmailCode, hashEmailCode } from "../server/accounts/email-codes.ts";
import { sendVerificationCode } from "../server/accounts/email-verification.ts";
import { call, connectClient, expectOk, newAccount, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, readOutbox, startTestSmtpServer, waitForOutboxMail, type TestSmtpServer } from "./support/mail.ts";

const plenty = { points: 1000, durationSeconds: 60 };
let hubs: TestHub[] = [];
let sockets: TestSocket[] = [];

async function hubWith(options: Parameters<typeof startTestHub>[0]): Promise<{ hub: TestHub; socket: TestSocket }> {
  const hub = await startTestHub(options);
  hubs.push(hub);
  const socket = await connectClient(hub);
  sockets.push(socket);
  return { hub, socket };
}

afterEach(async () => {
  for (const socket of sockets) socket.disconnect();
  for (const hub of hubs) await hub.destroy();
  hubs = [];
  sockets = [];
});

async function registerOn(socket: TestSocket, account: TestAccount) {
  return expectOk(await call(socket, "account:register", { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem }));
}

const VERIFY = { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" };

describe("resend limits (3 a minute)", () => {
  it("refuses a 4th resend for one username, whether or not the account exists", async () => {
    const { socket } = await hubWith({ env: VERIFY, rateLimits: { verificationMailsPerAddress: plenty } });
    await registerOn(socket, newAccount("ada"));
    for (const username of ["ada", "no-such-user"]) {
      for (let i = 0; i < 3; i += 1) expect(await call(socket, "account:resend-verification", { username })).toEqual({ ok: true, data: { sent: true } });
      expect(await call(socket, "account:resend-verification", { username })).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) } });
    }
  });

  it("refuses a 4th resend from one address, across usernames", async () => {
    const { socket } = await hubWith({ env: VERIFY });
    for (const username of ["one", "two", "three"]) expectOk(await call(socket, "account:resend-verification", { username }));
    expect(await call(socket, "account:resend-verification", { username: "four" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });
});

describe("password:forgot limits (3 a minute)", () => {
  it("refuses a 4th request for one name, existing or not, with the same answer", async () => {
    const { socket } = await hubWith({ rateLimits: { resetMailsPerAddress: plenty } });
    await registerOn(socket, newAccount("bea"));
    const answers = [];
    for (const login of ["bea", "no-such-user"]) {
      for (let i = 0; i < 3; i += 1) expectOk(await call(socket, "password:forgot", { login }));
      answers.push(await call(socket, "password:forgot", { login }));
    }
    expect(answers[0]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(answers[1]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("refuses a 4th request from one address, across names", async () => {
    const { socket } = await hubWith({});
    for (const login of ["one", "two@example.test", "three"]) expectOk(await call(socket, "password:forgot", { login }));
    expect(await call(socket, "password:forgot", { login: "four" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });

  it("sends one account at most 3 emails a minute, even asked for by username and by email in turn", async () => {
    const { hub, socket } = await hubWith({ rateLimits: { resetMailsPerAddress: plenty } });
    const cora = newAccount("cora");
    await registerOn(socket, cora);
    for (const login of ["cora", cora.email, "cora", cora.email, "cora"]) expectOk(await call(socket, "password:forgot", { login }));
    // Sent after the answers: once the hub has done what it put off, all five requests are handled.
    await hub.clock.settled();
    expect(readOutbox(hub.dataDir)).toHaveLength(3);
    expect(hub.logs.some((line) => line.includes("too many requests for this account"))).toBe(true);
  });
});

describe("answers that do not tell whether an account exists", () => {
  it("account:verify-email: an unknown account, a verified one and a wrong code get one answer", async () => {
    const { hub, socket } = await hubWith({ env: VERIFY });
    const dan = newAccount("dan");
    const eve = newAccount("eve");
    await registerOn(socket, dan);
    await registerOn(socket, eve);
    const danCode = codeIn(await waitForOutboxMail(hub.dataDir, dan.email, /Confirm/));
    const eveCode = codeIn(await waitForOutboxMail(hub.dataDir, eve.email, /Confirm/));
    expectOk(await call(socket, "account:verify-email", { username: "dan", code: danCode }));
    const wrong = (code: string) => (code === "000000" ? "111111" : "000000");

    const unknown = await call(socket, "account:verify-email", { username: "nobody", code: "123456" });
    const verified = await call(socket, "account:verify-email", { username: "dan", code: danCode });
    const wrongCode = await call(socket, "account:verify-email", { username: "eve", code: wrong(eveCode) });
    expect(unknown).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    expect(verified).toEqual(unknown);
    expect(wrongCode).toEqual(unknown);
  });

  it("password:reset: expired, dead and wrong codes get one answer, the same as an unknown account", async () => {
    const smtp: TestSmtpServer = await startTestSmtpServer();
    try {
      const { hub, socket } = await hubWith({ env: { SMTP_URL: smtp.url }, rateLimits: { resetMailsPerAddress: plenty } });
      const fay = newAccount("fay");
      await registerOn(socket, fay);
      expectOk(await call(socket, "password:forgot", { login: "fay" }));
      const code = codeIn(await smtp.waitForMail(fay.email, /Reset/));
      const attempt = (username: string, typed: string) => call(socket, "password:reset", { username, code: typed, newPassword: "amber-falcon-harbour-77" });
      const wrong = code === "000000" ? "111111" : "000000";

      const unknown = await attempt("nobody", code);
      const answers = [];
      for (let i = 0; i < EMAIL_CODE_MAX_ATTEMPTS + 1; i += 1) answers.push(await attempt("fay", wrong)); // the last one finds the code dead
      await hub.hub.context.db.emailCode.updateMany({ data: { attempts: 0 } });
      hub.clock.advance(PASSWORD_RESET_TTL_SECONDS * 1000);
      answers.push(await attempt("fay", code)); // expired
      for (const answer of answers) expect(answer).toEqual(unknown);
    } finally {
      await smtp.close();
    }
  });
});

describe("code guessing in parallel", () => {
  it(`counts every try before comparing, so 20 parallel guesses get at most ${EMAIL_CODE_MAX_ATTEMPTS} comparisons`, async () => {
    const { hub, socket } = await hubWith({ env: VERIFY, rateLimits: { loginFailuresPerAddress: plenty, loginFailuresPerAccountAddress: plenty, eventsPerSocket: plenty } });
    const gil = newAccount("gil");
    await registerOn(socket, gil);
    const code = codeIn(await waitForOutboxMail(hub.dataDir, gil.email, /Confirm/));
    const guesses = Array.from({ length: 20 }, (_unused, i) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0"));
    const answers = await Promise.all(guesses.map((guess) => call(socket, "account:verify-email", { username: "gil", code: guess })));
    expect(answers.every((answer) => !answer.ok)).toBe(true);
    const row = await hub.hub.context.db.emailCode.findFirstOrThrow({ where: { user: { username: "gil" } } });
    expect(row.attempts).toBe(EMAIL_CODE_MAX_ATTEMPTS);
    expect(await call(socket, "account:verify-email", { username: "gil", code })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("counts wrong codes against the login limits as well (10 per account and address in 15 minutes)", async () => {
    const { hub, socket } = await hubWith({ env: VERIFY });
    const hal = newAccount("hal");
    await registerOn(socket, hal);
    const code = codeIn(await waitForOutboxMail(hub.dataDir, hal.email, /Confirm/));
    const wrong = code === "000000" ? "111111" : "000000";
    // The code dies after 5 tries, and a resend would bring a fresh one; the login limit counts
    // every wrong try as well, so resending cannot stretch the guessing past it.
    const answers = [];
    for (let i = 0; i < 11; i += 1) answers.push(await call(socket, "account:verify-email", { username: "hal", code: wrong }));
    expect(answers.slice(0, 10).every((answer) => !answer.ok && answer.error.code === "invalid_code")).toBe(true);
    expect(answers[10]).toMatchObject({ ok: false, error: { code: "rate_limited" } });
  });
});

describe("codes sent at the same moment", () => {
  it("leaves exactly one working code when two are sent in the same millisecond, and none once it is used", async () => {
    const { hub, socket } = await hubWith({ env: VERIFY });
    const joy = newAccount("joy");
    await registerOn(socket, joy);
    await waitForOutboxMail(hub.dataDir, joy.email, /Confirm/);
    const ctx = hub.hub.context;
    const user = await ctx.db.user.findUniqueOrThrow({ where: { username: "joy" } });
    // Both codes get the same createdAt: the hub's clock is held still while they are made.
    hub.clock.hold();
    try {
      await Promise.all([sendVerificationCode(ctx, user), sendVerificationCode(ctx, user)]);
    } finally {
      hub.clock.release();
    }

    const mailed = readOutbox(hub.dataDir).slice(-2).map(codeIn);
    const checks = await Promise.all(mailed.map((code) => checkEmailCode(ctx, user.id, "email_verification", code)));
    const passed = checks.filter((check) => check.ok);
    expect(passed).toHaveLength(1);
    expect(await claimEmailCode(ctx, passed[0]!.code)).toBe(true);
    for (const code of mailed) expect(await checkEmailCode(ctx, user.id, "email_verification", code)).toMatchObject({ ok: false });
    expect(await ctx.db.emailCode.count({ where: { userId: user.id, purpose: "email_verification", usedAt: null } })).toBe(0);
  });

  it("retires an older code that outlived a newer one when the newer one is used", async () => {
    const { hub, socket } = await hubWith({ env: VERIFY });
    const kit = newAccount("kit");
    await registerOn(socket, kit);
    const newer = codeIn(await waitForOutboxMail(hub.dataDir, kit.email, /Confirm/));
    const ctx = hub.hub.context;
    const user = await ctx.db.user.findUniqueOrThrow({ where: { username: "kit" } });
    const sent = await ctx.db.emailCode.findFirstOrThrow({ where: { userId: user.id, purpose: "email_verification" } });
    // What two sends in one millisecond can leave: a code that sorts first (same createdAt, lower
    // id) written after the other's retiring, so nothing deleted it.
    const older = newer === "000000" ? "111111" : "000000";
    await ctx.db.emailCode.create({
      data: {
        id: "00000000-0000-4000-8000-000000000000",
        userId: user.id,
        purpose: "email_verification",
        codeHash: hashEmailCode(ctx.keys.emailCodes, user.id, "email_verification", null, older).toString("hex"),
        createdAt: sent.createdAt,
        expiresAt: sent.expiresAt,
      },
    });

    expect(await checkEmailCode(ctx, user.id, "email_verification", older)).toEqual({ ok: false, reason: "wrong" });
    expectOk(await call(socket, "account:verify-email", { username: "kit", code: newer }));
    expect(await checkEmailCode(ctx, user.id, "email_verification", older)).toEqual({ ok: false, reason: "none" });
  });
});

describe("codes in logs", () => {
  it("never writes an emailed code to the log", async () => {
    const { hub, socket } = await hubWith({ env: VERIFY, rateLimits: { resetMailsPerAddress: plenty } });
    const ivy = newAccount("ivy");
    await registerOn(socket, ivy);
    expectOk(await call(socket, "password:forgot", { login: "ivy" }));
    await expect.poll(() => readOutbox(hub.dataDir).length).toBe(2);
    const logs = hub.logs.join("\n");
    for (const mail of readOutbox(hub.dataDir)) expect(logs).not.toContain(codeIn(mail));
  });
});
