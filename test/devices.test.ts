import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BINDING_CODE_TTL_SECONDS, type DevicePushPayload, type PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, openPushedLogin, register, type TestSocket } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let owner: TestSocket;
const alice = newAccount("alice");

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { bindingFailuresPerAddress: { points: 100, durationSeconds: 60 } } });
  await register(hub, alice);
  owner = (await logIn(hub, alice)).socket;
});
afterAll(async () => {
  owner.disconnect();
  await hub.destroy();
});

describe("device:create-binding-code", () => {
  it("answers XXXX-XXXX in Crockford base32, valid 5 minutes, stored only as a keyed hash", async () => {
    const { code, expiresAt } = expectOk(await call(owner, "device:create-binding-code", { name: "phone" }));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const lifetime = Date.parse(expiresAt) - hub.clock.now().getTime();
    expect(lifetime).toBeGreaterThan((BINDING_CODE_TTL_SECONDS - 5) * 1000);
    expect(lifetime).toBeLessThanOrEqual(BINDING_CODE_TTL_SECONDS * 1000);
    const rows = await hub.hub.context.db.bindingCode.findMany();
    expect(rows.some((row) => row.codeHash.includes(code.replace("-", "")) || row.codeHash === code)).toBe(false);
    expect(rows.every((row) => /^[0-9a-f]{64}$/.test(row.codeHash))).toBe(true);
  });

  it("is refused to anonymous sockets", async () => {
    const { connectClient } = await import("./support/client.ts");
    const anonymous = await connectClient(hub);
    expect(await call(anonymous, "device:create-binding-code", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    anonymous.disconnect();
  });
});

describe("device:bind", () => {
  it("pairs with a fresh 160-bit secret, tells the asking client live, and seals the secret at rest", async () => {
    const bound = nextPush<PushPayload<"device:bound">>(owner, "device:bound");
    const device = await pairDevice(hub, owner, "pixel");
    expect(device.secret).toHaveLength(20);
    expect((await bound).device).toEqual({ id: device.deviceId, name: "pixel" });
    const row = await hub.hub.context.db.device.findUniqueOrThrow({ where: { id: device.deviceId } });
    expect(row.sealedSecret).toMatch(/^v1\./);
    expect(row.sealedSecret).not.toContain(Buffer.from(device.secret).toString("base64"));
    expect(row.tokenHash).not.toBe(device.deviceToken);
  });

  it("names the device as asked for with the code, over the authenticator's own name", async () => {
    const { code } = expectOk(await call(owner, "device:create-binding-code", { name: "work phone" }));
    const socket = await connectDevice(hub);
    const bound = nextPush<PushPayload<"device:bound">>(owner, "device:bound");
    const reply = expectOk(await deviceCall(socket, "device:bind", { code, name: "pairgate-device on laptop" }));
    expect((await bound).device.name).toBe("work phone");
    expect(reply.name).toBe("work phone"); // the authenticator keeps the hub's name
    socket.disconnect();
  });

  it("accepts the code typed loosely: lower case, no dash, O for 0 and I for 1", async () => {
    const { code } = expectOk(await call(owner, "device:create-binding-code", {}));
    const typed = code.toLowerCase().replace("-", "").replace(/0/g, "o").replace(/1/g, "i");
    const socket = await connectDevice(hub);
    expectOk(await deviceCall(socket, "device:bind", { code: typed, name: "tablet" }));
    socket.disconnect();
  });

  it("refuses a code used once already", async () => {
    const { code } = expectOk(await call(owner, "device:create-binding-code", {}));
    const socket = await connectDevice(hub);
    expectOk(await deviceCall(socket, "device:bind", { code, name: "first" }));
    expect(await deviceCall(socket, "device:bind", { code, name: "second" })).toMatchObject({ ok: false, error: { code: "invalid_binding_code" } });
    socket.disconnect();
  });

  it("refuses an expired code, saying it expired", async () => {
    const { code } = expectOk(await call(owner, "device:create-binding-code", {}));
    hub.clock.advance(BINDING_CODE_TTL_SECONDS * 1000);
    const socket = await connectDevice(hub);
    const ack = await deviceCall(socket, "device:bind", { code, name: "late" });
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_binding_code" } });
    if (!ack.ok) expect(ack.error.message).toMatch(/expired/);
    socket.disconnect();
    // Five minutes after the login, pairing needs a fresh proof again (sudo mode): the later tests pair more.
    expectOk(await call(owner, "session:reauthenticate", { password: alice.password }));
  });

  it("refuses a guessed code, and after 5 wrong tries refuses the address for a while", async () => {
    const strict = await startTestHub();
    const bob = newAccount("bob");
    await register(strict, bob);
    const bobSocket = (await logIn(strict, bob)).socket;
    const { code } = expectOk(await call(bobSocket, "device:create-binding-code", {}));
    const guesser = await connectDevice(strict);
    for (let i = 0; i < 5; i += 1) {
      expect(await deviceCall(guesser, "device:bind", { code: `ZZZZ-ZZZ${i}`, name: "guess" })).toMatchObject({ ok: false, error: { code: "invalid_binding_code" } });
    }
    expect(await deviceCall(guesser, "device:bind", { code, name: "right-one" })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    guesser.disconnect();
    bobSocket.disconnect();
    await strict.destroy();
  });

  it.each([["too short", "ABC-DEF"], ["a letter outside the alphabet", "ABCD-EFGU"]])("refuses a malformed code (%s) as invalid_request", async (_label, code) => {
    const socket = await connectDevice(hub);
    expect(await deviceCall(socket, "device:bind", { code, name: "x" })).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    socket.disconnect();
  });

  it("keeps anonymous device sockets to device:bind", async () => {
    const socket = await connectDevice(hub);
    expect(await deviceCall(socket, "challenge:list", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    socket.disconnect();
  });
});

describe("device management", () => {
  it("lists, renames and revokes; a revoked device is told, disconnected, and its token stops working", async () => {
    const device = await pairDevice(hub, owner, "old-phone");
    const { devices } = expectOk(await call(owner, "device:list", {}));
    expect(devices.map((entry) => entry.name)).toContain("old-phone");

    const renamed = expectOk(await call(owner, "device:rename", { deviceId: device.deviceId, name: "spare phone" }));
    expect(renamed.device.name).toBe("spare phone");

    const live = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const revoked = nextPush<DevicePushPayload<"device:revoked">>(live, "device:revoked");
    const disconnected = nextPush<string>(live, "disconnect");
    expectOk(await call(owner, "device:revoke", { deviceId: device.deviceId }));
    expect((await revoked).deviceId).toBe(device.deviceId);
    expect(await disconnected).toBe("io server disconnect");
    await expect(connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken })).rejects.toMatchObject({ data: { code: "invalid_device_token" } });
    expect(await call(owner, "device:revoke", { deviceId: device.deviceId })).toMatchObject({ ok: false, error: { code: "device_not_found" } });
  });

  it("a revoked device hears none of the account's logins while its socket closes", async () => {
    const kept = await pairDevice(hub, owner, "kept");
    const gone = await pairDevice(hub, owner, "gone");
    const keptSocket = await connectDevice(hub, { deviceId: kept.deviceId, deviceToken: kept.deviceToken });
    const goneSocket = await connectDevice(hub, { deviceId: gone.deviceId, deviceToken: gone.deviceToken });
    const heardByGone: unknown[] = [];
    goneSocket.on("challenge:new", (challenge) => heardByGone.push(challenge));
    const revoked = nextPush(goneSocket, "device:revoked");
    const closed = nextPush<string>(goneSocket, "disconnect");
    expectOk(await call(owner, "device:revoke", { deviceId: gone.deviceId }));
    await revoked;

    const pushed = nextPush<DevicePushPayload<"challenge:new">>(keptSocket, "challenge:new");
    const client = await connectClient(hub);
    const login = await openPushedLogin(client, alice);
    expect((await pushed).challengeId).toBe(login.challengeId);
    // Whatever the hub sent the socket before closing it arrives before the close.
    expect(await closed).toBe("io server disconnect");
    expect(heardByGone).toEqual([]);
    client.disconnect();
    keptSocket.disconnect();
  });

  it("refuses another account's device", async () => {
    const carol = newAccount("carol");
    await register(hub, carol);
    const carolSocket = (await logIn(hub, carol)).socket;
    const device = await pairDevice(hub, owner, "mine");
    expect(await call(carolSocket, "device:rename", { deviceId: device.deviceId, name: "yours" })).toMatchObject({ ok: false, error: { code: "device_not_found" } });
    expect(await call(carolSocket, "device:revoke", { deviceId: device.deviceId })).toMatchObject({ ok: false, error: { code: "device_not_found" } });
    carolSocket.disconnect();
  });

  it("refuses a device token paired with another device's id", async () => {
    const one = await pairDevice(hub, owner, "one");
    const two = await pairDevice(hub, owner, "two");
    await expect(connectDevice(hub, { deviceId: one.deviceId, deviceToken: two.deviceToken })).rejects.toMatchObject({ data: { code: "invalid_device_token" } });
  });
});
