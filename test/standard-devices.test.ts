import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOtpauthUri } from "#otp/otpauth-uri";
import { encodeOtpSecret } from "#otp/totp";
import { STANDARD_ENROLMENT_CODE_TRIES, STANDARD_ENROLMENT_TTL_SECONDS, TOTP_PERIOD_SECONDS } from "#protocol";
import { connectDevice, pairDevice } from "./support/device.ts";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { enrolStandardApp, oathtoolHotp, oathtoolTotp } from "./support/standard-device.ts";
import { sweep } from "../server/housekeeping.ts";

let hub: TestHub;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_ISSUER: "Acme Hub" } });
});
afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await hub.destroy();
});

async function loggedIn(account: TestAccount): Promise<TestSocket> {
  const { socket } = await logIn(hub, account);
  sockets.push(socket);
  return socket;
}

async function newUser(name: string): Promise<{ account: TestAccount; socket: TestSocket }> {
  const account = newAccount(name);
  await register(hub, account);
  return { account, socket: await loggedIn(account) };
}

/** auth:login, then auth:complete with the signature and `otp`; answers both acks. */
async function logInWithCode(account: TestAccount, otp?: string) {
  const socket = await connectClient(hub);
  sockets.push(socket);
  const started = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, started.challengeId, started.nonce);
  // The key proof is what would push to a PairGate authenticator; apps are never pushed to.
  const proven = expectOk(await call(socket, "auth:prove-key", { challengeId: started.challengeId, signature }));
  const completed = await call(socket, "auth:complete", { challengeId: started.challengeId, signature, ...(otp ? { otp } : {}) });
  return { started, proven, completed };
}

describe("enrolling a standard authenticator app", () => {
  it("hands out an otpauth:// URI with the configured issuer, the label issuer:username and the same secret in base32", async () => {
    const { socket } = await newUser("uri-reader");
    const started = expectOk(await call(socket, "device:enrol-standard", { kind: "totp", name: "phone app" }));
    const parsed = parseOtpauthUri(started.uri);
    if (!parsed.ok) throw new Error(parsed.message);
    expect(started.uri.startsWith("otpauth://totp/Acme%20Hub:uri-reader?secret=")).toBe(true);
    expect(parsed.account).toMatchObject({ type: "totp", issuer: "Acme Hub", account: "uri-reader", algorithm: "sha1", digits: 6, period: TOTP_PERIOD_SECONDS });
    expect(encodeOtpSecret(parsed.account.secret)).toBe(started.secret);
    expect(parsed.account.secret).toHaveLength(20);
    expect(started).toMatchObject({ kind: "totp", name: "phone app", issuer: "Acme Hub", account: "uri-reader", algorithm: "SHA1", digits: 6, period: 30 });
    expect(Date.parse(started.expiresAt) - hub.clock.now().getTime()).toBeGreaterThan((STANDARD_ENROLMENT_TTL_SECONDS - 60) * 1000);
  });

  it("is not a device until confirmed: the list stays empty and a login needs no code", async () => {
    const { account, socket } = await newUser("unconfirmed");
    expectOk(await call(socket, "device:enrol-standard", { kind: "totp" }));
    expect(expectOk(await call(socket, "device:list", {})).devices).toEqual([]);
    const { started, completed } = await logInWithCode(account);
    expect(started.factors).toEqual(["signature"]);
    expect(started.deviceKinds).toEqual([]);
    expect(completed.ok).toBe(true);
  });

  it("becomes a TOTP device when confirmed with oathtool's current code, listed with its kind", async () => {
    const { socket } = await newUser("totp-enrol");
    const app = await enrolStandardApp(hub, socket, "totp", "aegis");
    const { devices } = expectOk(await call(socket, "device:list", {}));
    expect(devices).toEqual([expect.objectContaining({ id: app.deviceId, name: "aegis", kind: "totp", lockedUntil: null, needsOwnerUnlock: false })]);
  });

  it("becomes an HOTP device when confirmed with oathtool's code at counter 0", async () => {
    const { socket } = await newUser("hotp-enrol");
    const started = expectOk(await call(socket, "device:enrol-standard", { kind: "hotp" }));
    expect(started).toMatchObject({ kind: "hotp", counter: 0, name: "authenticator app" });
    expect(started.uri).toMatch(/^otpauth:\/\/hotp\/Acme%20Hub:hotp-enrol\?secret=[A-Z2-7]+&issuer=Acme%20Hub&algorithm=SHA1&digits=6&counter=0$/);
    const { device } = expectOk(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp: oathtoolHotp(started.secret, 0) }));
    expect(device).toMatchObject({ kind: "hotp", name: "authenticator app" });
  });

  it("refuses a wrong code with the tries left, and ends the enrolment at the last one", async () => {
    const { socket } = await newUser("wrong-confirm");
    const started = expectOk(await call(socket, "device:enrol-standard", { kind: "totp" }));
    const wrong = String((Number(oathtoolTotp(started.secret, hub.clock.now())) + 500_000) % 1_000_000).padStart(6, "0");
    for (let left = STANDARD_ENROLMENT_CODE_TRIES - 1; left >= 0; left -= 1) {
      expect(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp: wrong })).toMatchObject({ ok: false, error: { code: "invalid_otp", triesLeft: left } });
    }
    const right = oathtoolTotp(started.secret, hub.clock.now());
    expect(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp: right })).toMatchObject({ ok: false, error: { code: "enrolment_not_found" } });
    expect(expectOk(await call(socket, "device:list", {})).devices).toEqual([]);
  });

  it("can only be confirmed by the session that started it", async () => {
    const { account, socket } = await newUser("other-session");
    const started = expectOk(await call(socket, "device:enrol-standard", { kind: "totp" }));
    const other = await loggedIn(account);
    const otp = oathtoolTotp(started.secret, hub.clock.now());
    expect(await call(other, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp })).toMatchObject({ ok: false, error: { code: "enrolment_not_found" } });
    expectOk(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp }));
  });

  it("expires unconfirmed after ten minutes, and the sweep deletes it with its secret", async () => {
    const { socket } = await newUser("late-confirm");
    const started = expectOk(await call(socket, "device:enrol-standard", { kind: "totp" }));
    const db = hub.hub.context.db;
    expect(await db.standardEnrolment.count({ where: { id: started.enrolmentId } })).toBe(1);
    hub.clock.advance(STANDARD_ENROLMENT_TTL_SECONDS * 1000 + 1000);
    const otp = oathtoolTotp(started.secret, hub.clock.now());
    expect(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp })).toMatchObject({ ok: false, error: { code: "enrolment_not_found" } });
    await sweep(hub.hub.context, () => []);
    expect(await db.standardEnrolment.count({ where: { id: started.enrolmentId } })).toBe(0);
    expect(expectOk(await call(socket, "device:list", {})).devices).toEqual([]);
  });
});

describe("logging in with a standard authenticator app", () => {
  it("says the account's device is a TOTP app, offers no number to match, and wants its code", async () => {
    const { account, socket } = await newUser("totp-login");
    const app = await enrolStandardApp(hub, socket, "totp");
    const { started, proven, completed } = await logInWithCode(account);
    expect(started).toMatchObject({ factors: ["signature", "otp"], deviceKinds: ["totp"] });
    expect(proven).toMatchObject({ devicesAsked: 0 });
    expect(proven.numberMatch).toBeUndefined();
    expect(completed).toMatchObject({ ok: false, error: { code: "otp_required", deviceKinds: ["totp"] } });
    // Named as what the person holds: an app, which cannot approve anything.
    expect(completed.ok ? "" : completed.error.message).toBe("Give the current code from the authenticator app (or a recovery code).");
    // The confirming code was used; the app's next code opens the login.
    hub.clock.advance(TOTP_PERIOD_SECONDS * 1000);
    const login = await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now()));
    expect(login.completed.ok).toBe(true);
  });

  it("names the authenticator app, not a paired device, when too many wrong codes lock it", async () => {
    const { account, socket } = await newUser("totp-locked");
    await enrolStandardApp(hub, socket, "totp");
    let last: Awaited<ReturnType<typeof logInWithCode>>["completed"] | undefined;
    for (let tries = 0; tries < 20 && (!last || last.ok || last.error.code !== "otp_locked"); tries += 1) last = (await logInWithCode(account, "000000")).completed;
    expect(last).toMatchObject({ ok: false, error: { code: "otp_locked", deviceKinds: ["totp"] } });
    const message = last && !last.ok ? last.error.message : "";
    expect(message).toContain("codes from the authenticator app are refused until");
    expect(message).not.toContain("paired device");
    expect(message).not.toContain("approval");
  });

  it("accepts oathtool's HOTP codes in order from a standard HOTP app", async () => {
    const { account, socket } = await newUser("hotp-login");
    const started = expectOk(await call(socket, "device:enrol-standard", { kind: "hotp" }));
    expectOk(await call(socket, "device:confirm-standard", { enrolmentId: started.enrolmentId, otp: oathtoolHotp(started.secret, 0) }));
    expect((await logInWithCode(account, oathtoolHotp(started.secret, 1))).completed.ok).toBe(true);
    expect((await logInWithCode(account, oathtoolHotp(started.secret, 1))).completed).toMatchObject({ ok: false, error: { code: "invalid_otp" } });
    expect((await logInWithCode(account, oathtoolHotp(started.secret, 3))).completed.ok).toBe(true);
  });

  it("keeps pushing to a paired PairGate authenticator while a TOTP app of the same account works by code", async () => {
    const { account, socket } = await newUser("mixed-devices");
    const paired = await pairDevice(hub, socket, "pairgate phone");
    const deviceSocket = await connectDevice(hub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken });
    const app = await enrolStandardApp(hub, socket, "totp");
    hub.clock.advance(TOTP_PERIOD_SECONDS * 1000);
    const pushed = new Promise((resolve) => deviceSocket.once("challenge:new", resolve));
    const { started, proven, completed } = await logInWithCode(account, oathtoolTotp(app.secret, hub.clock.now()));
    expect(new Set(started.deviceKinds)).toEqual(new Set(["pairgate", "totp"]));
    expect(proven).toMatchObject({ devicesAsked: 1 });
    expect(proven.numberMatch).toMatch(/^\d{2}$/);
    await pushed;
    expect(completed.ok).toBe(true);
    deviceSocket.disconnect();
  });
});
