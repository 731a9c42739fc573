import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "#protocol";
import { call, connectSharedClient, expectOk, generateTestKeys, newAccount, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, readOutbox, waitForOutboxMail } from "./support/mail.ts";

// Someone probing for accounts learns nothing from registration, password reset or email
// verification that a username alone would not tell (usernames are public: docs/SECURITY.md).

let hub: TestHub;
let socket: TestSocket;
let owner: TestAccount;

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" } });
  socket = await connectSharedClient(hub);
  owner = newAccount("olga");
  expectOk(await registerAs(owner));
  const code = codeIn(await waitForOutboxMail(hub.dataDir, owner.email, /Confirm/));
  expectOk(await call(socket, "account:verify-email", { username: owner.username, code }));
});
afterAll(async () => {
  socket.disconnect();
  await hub.destroy();
});

function registerAs(account: TestAccount) {
  return call(socket, "account:register", { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem });
}

/** An ack with the parts that differ by nature (a new id) set aside, to compare shapes. */
function shapeOf(ack: Ack<{ user: { id: string; username: string; email: string }; emailVerificationRequired: boolean }>) {
  if (!ack.ok) return ack;
  return { ok: true, keys: Object.keys(ack.data).sort(), userKeys: Object.keys(ack.data.user).sort(), emailVerificationRequired: ack.data.emailVerificationRequired };
}

describe("account:register with an address that already has an account", () => {
  it("answers exactly as a new registration does, creates nothing, and emails the address's owner instead", async () => {
    const fresh = await registerAs(newAccount("pia"));
    const prober = { ...newAccount("quinn"), email: owner.email, keys: generateTestKeys() };
    const taken = await registerAs(prober);
    expect(shapeOf(taken)).toEqual(shapeOf(fresh));
    expect(expectOk(taken).user).toMatchObject({ username: "quinn", email: owner.email, id: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    expect(await hub.hub.context.db.user.count({ where: { username: "quinn" } })).toBe(0);
    const notice = await waitForOutboxMail(hub.dataDir, owner.email, /Someone tried to register/);
    expect(notice.text).toContain(`Hello ${owner.username},`);
    // No code goes to the owner: there is nothing to confirm.
    expect(notice.text).not.toMatch(/code: \d{6}/);
    expect(await hub.hub.context.db.auditEvent.count({ where: { action: "account.registration_attempted" } })).toBe(1);
  });

  it("still says when a username is taken, since usernames are public", async () => {
    const copy = { ...newAccount(owner.username), email: "someone-else@example.test" };
    expect(await registerAs(copy)).toMatchObject({ ok: false, error: { code: "username_taken" } });
  });
});

describe("password:reset and account:verify-email for unknown and known usernames", () => {
  it("give byte-for-byte the same answer to a wrong code, whether or not the account exists", async () => {
    const before = readOutbox(hub.dataDir).length;
    const known = await call(socket, "password:reset", { username: owner.username, code: "000000", newPassword: "quiet-harbour-lantern-17" });
    const unknown = await call(socket, "password:reset", { username: "nobody-here", code: "000000", newPassword: "quiet-harbour-lantern-17" });
    expect(known).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    expect(JSON.stringify(unknown)).toBe(JSON.stringify(known));

    const knownVerify = await call(socket, "account:verify-email", { username: owner.username, code: "000000" });
    const unknownVerify = await call(socket, "account:verify-email", { username: "nobody-here", code: "000000" });
    expect(knownVerify).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    expect(JSON.stringify(unknownVerify)).toBe(JSON.stringify(knownVerify));
    expect(readOutbox(hub.dataDir)).toHaveLength(before);
  });

  it("record both in the audit log, so that both paths write the same row", async () => {
    const rows = await hub.hub.context.db.auditEvent.findMany({ where: { action: { in: ["password.reset_failed", "account.email_verification_failed"] } } });
    expect(rows.filter((row) => row.userId === null)).toHaveLength(2);
    expect(rows.filter((row) => row.userId !== null)).toHaveLength(2);
  });
});
