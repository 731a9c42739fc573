import { mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, connectClient, expectOk, newAccount, type TestAccount } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, readOutbox, startTestSmtpServer, unreachableSmtpUrl, waitForOutboxMail, type TestSmtpServer } from "./support/mail.ts";

const VERIFY = { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" };

async function registerOn(hub: TestHub, account: TestAccount) {
  const socket = await connectClient(hub);
  try {
    return await call(socket, "account:register", { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem });
  } finally {
    socket.disconnect();
  }
}

describe("mail with no SMTP_URL: the outbox folder", () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ env: VERIFY });
  });
  afterAll(() => hub.destroy());

  it("writes each message as a 0600 .eml file in <dataDir>/outbox, and names the file in the log without the code", async () => {
    const alice = newAccount("alice");
    const reply = expectOk(await registerOn(hub, alice));
    expect(reply.emailVerificationRequired).toBe(true);

    const mail = await waitForOutboxMail(hub.dataDir, alice.email, /Confirm your PairGate email address/);
    expect(path.dirname(mail.file)).toBe(path.join(hub.dataDir, "outbox"));
    expect(mail.mode).toBe(0o600);
    expect(statSync(path.dirname(mail.file)).mode & 0o777).toBe(0o700);
    expect(mail.raw).toMatch(/^From: PairGate <pairgate@localhost>$/m);
    expect(mail.to).toBe(alice.email);
    const code = codeIn(mail);

    const announced = hub.logs.filter((line) => line.includes("email written to the outbox"));
    expect(announced.some((line) => line.includes(path.basename(mail.file)))).toBe(true);
    expect(hub.logs.join("\n")).not.toContain(code);
  });
});

describe("mail through SMTP_URL", () => {
  let smtp: TestSmtpServer;
  let hub: TestHub;
  beforeAll(async () => {
    smtp = await startTestSmtpServer();
    hub = await startTestHub({ env: { ...VERIFY, SMTP_URL: smtp.url, PAIRGATE_MAIL_FROM: "Hub <hub@pairgate.test>" } });
  });
  afterAll(async () => {
    await hub.destroy();
    await smtp.close();
  });

  it("delivers the verification code to a real SMTP server, from PAIRGATE_MAIL_FROM, and writes no outbox file", async () => {
    const bob = newAccount("bob");
    expectOk(await registerOn(hub, bob));
    const mail = await smtp.waitForMail(bob.email, /Confirm your PairGate email address/);
    expect(mail.raw).toMatch(/^From: Hub <hub@pairgate\.test>$/m);
    const code = codeIn(mail);
    expect(readOutbox(hub.dataDir)).toEqual([]);
    expect(hub.logs.join("\n")).not.toContain(code);

    const socket = await connectClient(hub);
    expectOk(await call(socket, "account:verify-email", { username: bob.username, code }));
    socket.disconnect();
  });
});

describe("mail when the SMTP server cannot be reached", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-mail-"));
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ root, env: { ...VERIFY, SMTP_URL: await unreachableSmtpUrl() } });
  });
  afterAll(() => hub.destroy());

  it("refuses the registration with mail_unavailable and leaves no account, key, code or audit row behind", async () => {
    const carol = newAccount("carol");
    const reply = await registerOn(hub, carol);
    expect(reply).toMatchObject({ ok: false, error: { code: "mail_unavailable" } });

    const db = hub.hub.context.db;
    expect(await db.user.count()).toBe(0);
    expect(await db.clientKey.count()).toBe(0);
    expect(await db.emailCode.count()).toBe(0);
    expect(await db.auditEvent.count({ where: { action: "account.registered" } })).toBe(0);
    expect(hub.logs.join("\n")).toContain("email could not be sent");
  });

  it("lets the same username register once mail works again", async () => {
    await hub.stop();
    const smtp = await startTestSmtpServer();
    const again = await startTestHub({ root, env: { ...VERIFY, SMTP_URL: smtp.url } });
    try {
      const carol = newAccount("carol");
      expectOk(await registerOn(again, carol));
      await smtp.waitForMail(carol.email, /Confirm/);
    } finally {
      await again.stop();
      await smtp.close();
    }
  });
});
