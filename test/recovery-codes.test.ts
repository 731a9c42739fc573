import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RECOVERY_CODE_COUNT } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { connectDevice, nextPush, pairDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { warmPasswordWorkers } from "./support/hub-command.ts";

let hub: TestHub;
let owner: TestAccount;
let device: TestDevice;
let ownerSocket: TestSocket;

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { loginFailuresPerAccountAddress: { points: 3, durationSeconds: 15 * 60 } } });
  await warmPasswordWorkers(hub);
  owner = newAccount("rosa");
  await register(hub, owner);
  ({ socket: ownerSocket } = await logIn(hub, owner));
  device = await pairDevice(hub, ownerSocket);
}, 240_000);
afterAll(async () => {
  ownerSocket?.disconnect();
  await hub.destroy();
});

/** Password, signature, and whatever second proof is given, on a fresh socket. */
async function complete(account: TestAccount, proof: { otp?: string; recoveryCode?: string }) {
  const s = await connectClient(hub);
  const challenge = expectOk(await call(s, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const reply = await call(s, "auth:complete", { challengeId: challenge.challengeId, signature, ...proof });
  s.disconnect();
  return reply;
}

const CODE_PATTERN = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

describe("recovery:generate", () => {
  it(`makes ${RECOVERY_CODE_COUNT} distinct codes shown as XXXXX-XXXXX, stored only as keyed hashes`, async () => {
    const { codes } = expectOk(await call(ownerSocket, "recovery:generate", {}));
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const code of codes) expect(code).toMatch(CODE_PATTERN);
    const rows = await hub.hub.context.db.recoveryCode.findMany({ where: { user: { username: "rosa" } } });
    expect(rows).toHaveLength(RECOVERY_CODE_COUNT);
    const stored = JSON.stringify(rows);
    for (const code of codes) {
      expect(stored).not.toContain(code);
      expect(stored).not.toContain(code.replace("-", ""));
    }
  });

  it("replaces the earlier codes, tells the account's clients, and audits it", async () => {
    const { codes: old } = expectOk(await call(ownerSocket, "recovery:generate", {}));
    const watcher = await connectClient(hub, { token: await tokenFor(owner) });
    const notice = nextPush<{ kind: string }>(watcher, "security:notice");
    const { codes: fresh } = expectOk(await call(ownerSocket, "recovery:generate", {}));
    expect((await notice).kind).toBe("recovery_codes_generated");
    watcher.disconnect();
    expect(fresh.some((code) => old.includes(code))).toBe(false);
    expect(await complete(owner, { recoveryCode: old[0]! })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    expect(await hub.hub.context.db.auditEvent.count({ where: { action: "recovery.codes_generated" } })).toBeGreaterThanOrEqual(2);
  });

  it("needs a session", async () => {
    const anonymous = await connectClient(hub);
    expect(await call(anonymous, "recovery:generate", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    anonymous.disconnect();
  });
});

/** A session token by the device's code, for a watching socket. */
async function tokenFor(account: TestAccount): Promise<string> {
  const reply = expectOk(await complete(account, { otp: device.nextCode() }));
  return reply.token;
}

describe("a recovery code at auth:complete", () => {
  it("stands in for the device's code, once; its use is audited and told to the clients and devices", async () => {
    const { codes } = expectOk(await call(ownerSocket, "recovery:generate", {}));
    const deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const onDevice = nextPush<{ kind: string; message: string }>(deviceSocket, "security:notice");
    const onClient = nextPush<{ kind: string }>(ownerSocket, "security:notice");

    const typed = codes[3]!.toLowerCase().replace("-", " ");
    expectOk(await complete(owner, { recoveryCode: typed }));
    expect((await onDevice).kind).toBe("recovery_code_used");
    expect((await onClient).kind).toBe("recovery_code_used");
    deviceSocket.disconnect();

    const used = await hub.hub.context.db.auditEvent.findFirstOrThrow({ where: { action: "recovery.code_used" }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(used.details!)).toEqual({ purpose: "login", remaining: RECOVERY_CODE_COUNT - 1 });
    expect(await complete(owner, { recoveryCode: codes[3]! })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("is not spent by an account that needs no second factor", async () => {
    const plain = newAccount("sven");
    await register(hub, plain);
    const { socket: s } = await logIn(hub, plain);
    const { codes } = expectOk(await call(s, "recovery:generate", {}));
    s.disconnect();
    expectOk(await complete(plain, { recoveryCode: codes[0]! }));
    expect(await hub.hub.context.db.recoveryCode.count({ where: { user: { username: "sven" }, usedAt: { not: null } } })).toBe(0);
  });

  it("counts wrong codes against the login limits, which a right password does not clear", async () => {
    const tove = newAccount("tove");
    await register(hub, tove);
    const { socket: s } = await logIn(hub, tove);
    const toveDevice = await pairDevice(hub, s);
    const { codes } = expectOk(await call(s, "recovery:generate", {}));
    s.disconnect();
    for (let i = 0; i < 3; i += 1) {
      expect(await complete(tove, { recoveryCode: "00000-00000" })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    }
    expect(await complete(tove, { recoveryCode: codes[0]! })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    expect(await hub.hub.context.db.recoveryCode.count({ where: { user: { username: "tove" }, usedAt: { not: null } } })).toBe(0);
    // The device's code still works: the limit is on recovery codes, not on the person.
    expectOk(await complete(tove, { otp: toveDevice.nextCode() }));
  });
});
