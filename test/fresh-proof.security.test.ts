import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRESH_PROOF_TTL_SECONDS } from "#protocol";
import { parseClientPublicKey } from "../server/accounts/public-keys.ts";
import { call, connectClient, expectOk, generateTestKeys, logIn, newAccount, register, type TestAccount, type TestSocket } from "./support/client.ts";
import { pairDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { waitForOutboxMail } from "./support/mail.ts";
import { rest } from "./support/rest.ts";

// Sudo mode: a session token alone, once its last proof is older than FRESH_PROOF_TTL_SECONDS,
// cannot do what would let a thief stay after the token is gone.

let hub: TestHub;
const STALE_MS = (FRESH_PROOF_TTL_SECONDS + 60) * 1000;
const REFUSED = { ok: false, error: { code: "reauthentication_required" } };

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { loginFailuresPerAccountAddress: { points: 3, durationSeconds: 15 * 60 } } });
});
afterAll(() => hub.destroy());

const db = () => hub.hub.context.db;

interface Victim {
  account: TestAccount;
  userId: string;
  device: TestDevice;
  /** A key of another machine of the account, which a thief would like to remove. */
  otherKeyId: string;
  /** The token a thief copied, and a socket opened with it. */
  token: string;
  thief: TestSocket;
}

/** An account with a device and two machines' keys; its token is copied, and then time passes. */
async function stolenStaleToken(username: string): Promise<Victim> {
  const account = newAccount(username);
  await register(hub, account);
  const userId = (await db().user.findUniqueOrThrow({ where: { username } })).id;
  const owner = await logIn(hub, account);
  const device = await pairDevice(hub, owner.socket);
  owner.socket.disconnect();
  const parsed = parseClientPublicKey(generateTestKeys().publicKeyPem);
  if (!parsed.ok) throw new Error(parsed.reason);
  const otherKeyId = randomUUID();
  await db().clientKey.create({ data: { id: otherKeyId, userId, publicKeyPem: parsed.key.pem, fingerprint: parsed.key.fingerprint } });
  hub.clock.advance(STALE_MS);
  const thief = await connectClient(hub, { token: owner.token });
  return { account, userId, device, otherKeyId, token: owner.token, thief };
}

describe("a stolen session token whose last proof is over five minutes old", () => {
  it("cannot pair a device, replace the recovery codes, remove a key or change the email, and changes nothing", async () => {
    const victim = await stolenStaleToken("tess");
    const originalCodes = await db().recoveryCode.count({ where: { userId: victim.userId } });
    expect(await call(victim.thief, "device:create-binding-code", { name: "thief-phone" })).toMatchObject(REFUSED);
    expect(await call(victim.thief, "recovery:generate", {})).toMatchObject(REFUSED);
    expect(await call(victim.thief, "key:remove", { keyId: victim.otherKeyId })).toMatchObject(REFUSED);
    expect(await call(victim.thief, "account:change-email", { email: "thief@example.test" })).toMatchObject(REFUSED);

    expect(await db().bindingCode.count({ where: { userId: victim.userId, usedAt: null } })).toBe(0);
    expect(await db().recoveryCode.count({ where: { userId: victim.userId } })).toBe(originalCodes);
    expect(await db().clientKey.count({ where: { id: victim.otherKeyId } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: victim.userId } })).email).toBe(victim.account.email);
    // The rest of the session still works: only the sensitive actions ask for more.
    expect(expectOk(await call(victim.thief, "device:list", {})).devices).toHaveLength(1);
    victim.thief.disconnect();
  });

  it("can do each of them again after session:reauthenticate with the password, for five minutes", async () => {
    const victim = await stolenStaleToken("uma");
    const before = hub.clock.now().getTime();
    const { freshUntil } = expectOk(await call(victim.thief, "session:reauthenticate", { password: victim.account.password }));
    expect(Date.parse(freshUntil) - before).toBeGreaterThanOrEqual(FRESH_PROOF_TTL_SECONDS * 1000);
    expect(expectOk(await call(victim.thief, "account:me", {})).session.freshUntil).toBe(freshUntil);

    expect(expectOk(await call(victim.thief, "device:create-binding-code", {})).code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(expectOk(await call(victim.thief, "recovery:generate", {})).codes).toHaveLength(10);
    expect(expectOk(await call(victim.thief, "key:remove", { keyId: victim.otherKeyId })).removed).toBe(true);
    const changed = expectOk(await call(victim.thief, "account:change-email", { email: "uma@example.net" }));
    expect(changed.user.email).toBe("uma@example.net");
    // The old address hears of it: a thief cannot move the account's mail away silently.
    expect((await waitForOutboxMail(hub.dataDir, victim.account.email, /email address was changed/)).text).toContain("was changed");

    hub.clock.advance((FRESH_PROOF_TTL_SECONDS + 1) * 1000);
    expect(await call(victim.thief, "recovery:generate", {})).toMatchObject(REFUSED);
    expect(expectOk(await call(victim.thief, "account:me", {})).session.freshUntil).toBeNull();
    victim.thief.disconnect();
  });

  it("can be proven with a paired device's current code, under the HOTP rules: a used code does not pass again", async () => {
    const victim = await stolenStaleToken("vera");
    const code = victim.device.nextCode();
    expectOk(await call(victim.thief, "session:reauthenticate", { otp: code }));
    expectOk(await call(victim.thief, "recovery:generate", {}));
    hub.clock.advance(STALE_MS);
    expect(await call(victim.thief, "session:reauthenticate", { otp: code })).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect(await call(victim.thief, "recovery:generate", {})).toMatchObject(REFUSED);
    // The wrong code counted towards the device's lock, as at login.
    expect((await db().device.findUniqueOrThrow({ where: { id: victim.device.deviceId } })).failedAttempts).toBe(1);
    victim.thief.disconnect();
  });

  it("gets no more password guesses through session:reauthenticate than through the login: the account's limits refuse even the right one", async () => {
    const victim = await stolenStaleToken("wren");
    for (let guess = 0; guess < 3; guess += 1) {
      expect(await call(victim.thief, "session:reauthenticate", { password: `wrong-guess-${guess}-xyz` })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    }
    const limited = await call(victim.thief, "session:reauthenticate", { password: victim.account.password });
    expect(limited).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) } });
    // The same count as auth:login's: the login form from this address is refused too.
    const anonymous = await connectClient(hub);
    expect(await call(anonymous, "auth:login", { username: "wren", password: victim.account.password })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    anonymous.disconnect();
    expect(await call(victim.thief, "recovery:generate", {})).toMatchObject(REFUSED);
    // Every refusal is in the person's audit log, the rate-limited try too.
    expect(await db().auditEvent.count({ where: { userId: victim.userId, action: "session.reauthentication_failed" } })).toBe(4);
    victim.thief.disconnect();
  });

  it("counts a proof given through the REST mirror on the session's sockets too", async () => {
    const victim = await stolenStaleToken("xena");
    const wrong = await rest(hub, "POST", "/api/auth/reauthenticate", { token: victim.token, json: { password: "not-the-password-1" } });
    expect(wrong.status).toBe(401);
    const proven = await rest(hub, "POST", "/api/auth/reauthenticate", { token: victim.token, json: { password: victim.account.password } });
    expect(proven.status).toBe(200);
    expect(proven.body).toMatchObject({ ok: true, data: { freshUntil: expect.any(String) } });
    expectOk(await call(victim.thief, "recovery:generate", {}));
    victim.thief.disconnect();
  });

  it("still deletes the account with its password, which is the proof account:delete asks for", async () => {
    const victim = await stolenStaleToken("yara");
    expect(await call(victim.thief, "account:delete", { password: "not-the-password-1" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    expect(expectOk(await call(victim.thief, "account:delete", { password: victim.account.password })).deleted).toBe(true);
  });
});

describe("a fresh login", () => {
  it("is a fresh proof: a device, recovery codes and a key removal need no second prompt right after it", async () => {
    const account = newAccount("zoe");
    await register(hub, account);
    const { socket } = await logIn(hub, account);
    expect(expectOk(await call(socket, "account:me", {})).session.freshUntil).not.toBeNull();
    expectOk(await call(socket, "device:create-binding-code", {}));
    expectOk(await call(socket, "recovery:generate", {}));
    socket.disconnect();
  });

  it("is refused session:reauthenticate without exactly one proof", async () => {
    const account = newAccount("abe");
    await register(hub, account);
    const { socket } = await logIn(hub, account);
    expect(await call(socket, "session:reauthenticate", {})).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    expect(await call(socket, "session:reauthenticate", { password: account.password, otp: "123456" })).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    expect(await call(socket, "session:reauthenticate", { otp: "123456" })).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    socket.disconnect();
  });
});
