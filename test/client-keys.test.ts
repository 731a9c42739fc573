import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { parseClientPublicKey } from "../server/accounts/public-keys.ts";
import { call, connectClient, expectOk, generateTestKeys, logIn, newAccount, register, type TestAccount, type TestSocket } from "./support/client.ts";
import { nextPush } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
});
afterAll(() => hub.destroy());

const db = () => hub.hub.context.db;

/** An account with two machines: the key it registered with, and a second one added to it. */
async function twoMachines(username: string): Promise<{ first: TestAccount; second: TestAccount; secondKeyId: string; userId: string }> {
  const first = newAccount(username);
  await register(hub, first);
  const userId = (await db().user.findUniqueOrThrow({ where: { username } })).id;
  const second = { ...first, keys: generateTestKeys() };
  const parsed = parseClientPublicKey(second.keys.publicKeyPem);
  if (!parsed.ok) throw new Error(parsed.reason);
  const secondKeyId = randomUUID();
  await db().clientKey.create({ data: { id: secondKeyId, userId, publicKeyPem: parsed.key.pem, fingerprint: parsed.key.fingerprint } });
  return { first, second, secondKeyId, userId };
}

describe("key:list", () => {
  it("lists the account's keys with fingerprint and dates, and marks the key of this session", async () => {
    const { first, second, secondKeyId } = await twoMachines("alice");
    const laptop = await logIn(hub, first);
    const desktop = await logIn(hub, second);
    const { keys } = expectOk(await call(laptop.socket, "key:list", {}));
    expect(keys).toHaveLength(2);
    for (const key of keys) expect(key.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(keys.find((key) => key.current)?.id).not.toBe(secondKeyId);
    expect(keys.find((key) => key.id === secondKeyId)).toMatchObject({ current: false, lastUsedAt: expect.any(String) });
    const fromDesktop = expectOk(await call(desktop.socket, "key:list", {})).keys;
    expect(fromDesktop.find((key) => key.current)?.id).toBe(secondKeyId);
    laptop.socket.disconnect();
    desktop.socket.disconnect();
  });

  it("shows no other account's keys, and is refused to anonymous sockets", async () => {
    const bob = newAccount("bob");
    await register(hub, bob);
    const { socket } = await logIn(hub, bob);
    expect(expectOk(await call(socket, "key:list", {})).keys).toHaveLength(1);
    socket.disconnect();
    const anonymous = await connectClient(hub);
    expect(await call(anonymous, "key:list", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    anonymous.disconnect();
  });
});

describe("key:remove", () => {
  it("removes a key, ends the sessions it opened at once, keeps the others, and tells the person", async () => {
    const { first, second, secondKeyId, userId } = await twoMachines("carol");
    const laptop = await logIn(hub, first);
    const desktop = await logIn(hub, second);
    const desktopAgain = await logIn(hub, second);
    const revoked = nextPush<PushPayload<"session:revoked">>(desktop.socket, "session:revoked");
    const disconnected = nextPush<string>(desktopAgain.socket, "disconnect");
    const notice = new Promise<PushPayload<"security:notice">>((resolve) =>
      laptop.socket.on("security:notice", (pushed) => pushed.kind === "client_key_removed" && resolve(pushed)),
    );

    expect(expectOk(await call(laptop.socket, "key:remove", { keyId: secondKeyId }))).toEqual({ removed: true, sessionsEnded: 2 });
    expect((await revoked).reason).toBe("key_removed");
    expect(await disconnected).toBe("io server disconnect");
    expect((await notice).kind).toBe("client_key_removed");
    expect(await db().clientKey.count({ where: { id: secondKeyId } })).toBe(0);
    expect(await db().session.count({ where: { userId } })).toBe(1);
    expect(laptop.socket.connected).toBe(true);
    await expect(connectClient(hub, { token: desktop.token })).rejects.toMatchObject({ data: { code: "invalid_token" } });
    expect(await db().auditEvent.count({ where: { userId, action: "client_key.removed" } })).toBe(1);
    laptop.socket.disconnect();
  });

  it("refuses to remove the key this session logged in with", async () => {
    const { first, secondKeyId } = await twoMachines("dave");
    const desktop = await logIn(hub, first);
    const { keys } = expectOk(await call(desktop.socket, "key:list", {}));
    const current = keys.find((key) => key.current)!;
    expect(await call(desktop.socket, "key:remove", { keyId: current.id })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await db().clientKey.count({ where: { id: { in: [current.id, secondKeyId] } } })).toBe(2);
    expect(desktop.socket.connected).toBe(true);
    desktop.socket.disconnect();
  });

  it("refuses to remove the account's only key", async () => {
    const erin = newAccount("erin");
    await register(hub, erin);
    const { socket } = await logIn(hub, erin);
    const [only] = expectOk(await call(socket, "key:list", {})).keys;
    // A session that no key opened (as the key check above would otherwise answer first).
    await db().session.updateMany({ where: { user: { username: "erin" } }, data: { clientKeyId: null } });
    expect(await call(socket, "key:remove", { keyId: only!.id })).toMatchObject({ ok: false, error: { code: "forbidden", message: expect.stringContaining("only key") } });
    expect(await db().clientKey.count({ where: { id: only!.id } })).toBe(1);
    socket.disconnect();
  });

  it("answers not_found for an unknown key and for another account's key", async () => {
    const frank = await twoMachines("frank");
    const grace = newAccount("grace");
    await register(hub, grace);
    const { socket } = await logIn(hub, grace);
    expect(await call(socket, "key:remove", { keyId: "no-such-key" })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await call(socket, "key:remove", { keyId: frank.secondKeyId })).toMatchObject({ ok: false, error: { code: "not_found" } });
    expect(await db().clientKey.count({ where: { id: frank.secondKeyId } })).toBe(1);
    socket.disconnect();
  });
});
