import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_CODE_MAX_ATTEMPTS, EMAIL_VERIFICATION_TTL_SECONDS } from "#protocol";
import { call, connectClient, connectSharedClient, expectOk, logIn, newAccount, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, readOutbox, waitForOutboxMail } from "./support/mail.ts";

let hub: TestHub;
let socket: TestSocket;

beforeAll(async () => {
  // The per-address limit of 3 resends a minute has its own test (email-codes.security.test.ts).
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" }, rateLimits: { verificationMailsPerAddress: { points: 100, durationSeconds: 60 } } });
  socket = await connectSharedClient(hub);
});
afterAll(async () => {
  socket.disconnect();
  await hub.destroy();
});

const SUBJECT = /Confirm your PairGate email address/;

async function registerUnverified(account: TestAccount): Promise<string> {
  const before = readOutbox(hub.dataDir).length;
  const reply = expectOk(await call(socket, "account:register", { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem }));
  expect(reply.emailVerificationRequired).toBe(true);
  expect(readOutbox(hub.dataDir).length).toBe(before + 1);
  return codeIn(await waitForOutboxMail(hub.dataDir, account.email, SUBJECT));
}

/** Waits for the next verification email to the account after `count` earlier ones. */
async function nextCode(account: TestAccount, count: number): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const mails = readOutbox(hub.dataDir).filter((mail) => mail.to === account.email && SUBJECT.test(mail.subject));
    if (mails.length > count) return codeIn(mails.at(-1)!);
    if (Date.now() > deadline) throw new Error("no new verification email");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const mailsTo = (account: TestAccount) => readOutbox(hub.dataDir).filter((mail) => mail.to === account.email && SUBJECT.test(mail.subject)).length;

describe("email verification", () => {
  it("sends a 6-digit code at registration, valid 24 hours, stored only as a keyed hash", async () => {
    const dora = newAccount("dora");
    const code = await registerUnverified(dora);
    expect(code).toMatch(/^\d{6}$/);
    const user = await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: "dora" }, include: { emailCodes: true } });
    expect(user.emailVerifiedAt).toBeNull();
    const [row] = user.emailCodes;
    expect(row!.purpose).toBe("email_verification");
    expect(row!.expiresAt.getTime() - row!.createdAt.getTime()).toBeCloseTo(EMAIL_VERIFICATION_TTL_SECONDS * 1000, -3);
    expect(row!.codeHash).not.toContain(code);
    expect(row!.codeHash).not.toBe(createHash("sha256").update(code).digest("hex"));
  });

  it("answers email_not_verified to a right password before verification, and invalid_credentials to a wrong one", async () => {
    const erin = newAccount("erin");
    await registerUnverified(erin);
    expect(await call(socket, "auth:login", { username: "erin", password: erin.password })).toMatchObject({ ok: false, error: { code: "email_not_verified" } });
    expect(await call(socket, "auth:login", { username: "erin", password: "not-the-password-1" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
  });

  it("verifies with the code, after which the login works; the code works only once", async () => {
    const fred = newAccount("fred");
    const code = await registerUnverified(fred);
    expect(expectOk(await call(socket, "account:verify-email", { username: "fred", code }))).toEqual({ verified: true });
    const { socket: session } = await logIn(hub, fred);
    session.disconnect();
    expect(await call(socket, "account:verify-email", { username: "fred", code })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    const audit = await hub.hub.context.db.auditEvent.findMany({ where: { user: { username: "fred" } } });
    expect(audit.map((event) => event.action)).toEqual(expect.arrayContaining(["account.verification_sent", "account.email_verified"]));
  });

  it(`kills the code after ${EMAIL_CODE_MAX_ATTEMPTS} wrong tries, even for the right digits`, async () => {
    const gina = newAccount("gina");
    const code = await registerUnverified(gina);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < EMAIL_CODE_MAX_ATTEMPTS; i += 1) {
      expect(await call(socket, "account:verify-email", { username: "gina", code: wrong })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    }
    expect(await call(socket, "account:verify-email", { username: "gina", code })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("refuses an expired code", async () => {
    const hana = newAccount("hana");
    const code = await registerUnverified(hana);
    hub.clock.advance(EMAIL_VERIFICATION_TTL_SECONDS * 1000);
    expect(await call(socket, "account:verify-email", { username: "hana", code })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("resends a new code that replaces the old one", async () => {
    const ivan = newAccount("ivan");
    const first = await registerUnverified(ivan);
    expect(expectOk(await call(socket, "account:resend-verification", { username: "ivan" }))).toEqual({ sent: true });
    const second = await nextCode(ivan, 1);
    if (first !== second) {
      expect(await call(socket, "account:verify-email", { username: "ivan", code: first })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    }
    expectOk(await call(socket, "account:verify-email", { username: "ivan", code: second }));
  });

  it("gives the same answer to a resend for an unknown, a verified and an unverified account, and mails only the last", async () => {
    const jack = newAccount("jack");
    const code = await registerUnverified(jack);
    expectOk(await call(socket, "account:verify-email", { username: "jack", code }));
    const kim = newAccount("kim");
    await registerUnverified(kim);

    const answers = [
      await call(socket, "account:resend-verification", { username: "nobody-here" }),
      await call(socket, "account:resend-verification", { username: "jack" }),
      await call(socket, "account:resend-verification", { username: "kim" }),
    ];
    expect(answers[0]).toEqual({ ok: true, data: { sent: true } });
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);

    // The emails go out after the answers; once the hub has sent what it put off, nothing more will come.
    await hub.clock.settled();
    expect(mailsTo(kim)).toBe(2);
    expect(mailsTo(jack)).toBe(1);
  });
});

describe("the email verification setting", () => {
  it("lets accounts log in unverified when PAIRGATE_REQUIRE_EMAIL_VERIFICATION is false, sending no email", async () => {
    const relaxed = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
    try {
      const liam = newAccount("liam");
      const s = await connectClient(relaxed);
      const reply = expectOk(await call(s, "account:register", { username: "liam", email: liam.email, password: liam.password, publicKey: liam.keys.publicKeyPem }));
      expect(reply.emailVerificationRequired).toBe(false);
      const { socket: session } = await logIn(relaxed, liam, s);
      session.disconnect();
      expect(readOutbox(relaxed.dataDir)).toEqual([]);
    } finally {
      await relaxed.destroy();
    }
  });
});
