import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ClientEventName, type PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { connectDevice, nextPush, pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let admin: TestSocket;
const root = newAccount("root");
const alice = newAccount("alice");

beforeAll(async () => {
  // Email verification has tests of its own; here accounts log in straight after registering.
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
  await register(hub, root);
  await register(hub, alice);
  await hub.hub.context.db.user.update({ where: { username: "root" }, data: { role: "admin" } });
  admin = (await logIn(hub, root)).socket;
});
afterAll(async () => {
  admin.disconnect();
  await hub.destroy();
});

const db = () => hub.hub.context.db;
const userId = async (username: string) => (await db().user.findUniqueOrThrow({ where: { username } })).id;

/** Resolves with the next session:revoked, and then with the disconnect that follows it. */
function nextRevocation(socket: TestSocket): Promise<{ revoked: PushPayload<"session:revoked">; disconnected: Promise<string> }> {
  return new Promise((resolve) => {
    socket.once("session:revoked", (revoked) => resolve({ revoked, disconnected: new Promise((done) => socket.once("disconnect", done)) }));
  });
}

/** The next security:notice of this kind (pairing a device, for one, sends its own notice first). */
function nextNotice(socket: { on(event: "security:notice", listener: (notice: PushPayload<"security:notice">) => void): unknown }, kind: string) {
  return new Promise<PushPayload<"security:notice">>((resolve) => socket.on("security:notice", (notice) => notice.kind === kind && resolve(notice)));
}

/** A fresh account, registered, for a test that changes or removes it. */
async function registered(username: string): Promise<TestAccount & { id: string }> {
  const account = newAccount(username);
  await register(hub, account);
  return { ...account, id: await userId(username) };
}

describe("who may use admin events", () => {
  const payloads: { [E in ClientEventName & `admin:${string}`]: unknown } = {
    "admin:list-users": {},
    "admin:update-user": { userId: "x", role: "admin" },
    "admin:lock-user": { userId: "x" },
    "admin:unlock-user": { userId: "x" },
    "admin:delete-user": { userId: "x" },
  };
  const events = Object.keys(payloads) as (keyof typeof payloads)[];

  it.each(events)("%s answers unauthorized to an anonymous socket", async (event) => {
    const socket = await connectClient(hub);
    expect(await call(socket, event, payloads[event] as never)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    socket.disconnect();
  });

  it.each(events)("%s answers forbidden to a user who is not an admin, and changes nothing", async (event) => {
    const { socket } = await logIn(hub, alice);
    const target = await userId("root");
    const payload = { ...(payloads[event] as object), ...("userId" in (payloads[event] as object) ? { userId: target } : {}) };
    expect(await call(socket, event, payload as never)).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await db().user.findUnique({ where: { id: target } })).toMatchObject({ role: "admin", lockedAt: null });
    socket.disconnect();
  });

  it("takes a role change into account on sockets already open, both ways", async () => {
    const dora = await registered("dora");
    const { socket } = await logIn(hub, dora);
    expect(await call(socket, "admin:list-users", {})).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expectOk(await call(admin, "admin:update-user", { userId: dora.id, role: "admin" }));
    expectOk(await call(socket, "admin:list-users", {}));
    expectOk(await call(admin, "admin:update-user", { userId: dora.id, role: "user" }));
    expect(await call(socket, "admin:list-users", {})).toMatchObject({ ok: false, error: { code: "forbidden" } });
    socket.disconnect();
  });
});

describe("admin:list-users", () => {
  beforeAll(async () => {
    for (const name of ["page.one", "page.two", "page.three", "page.four", "page_five"]) await registered(name);
  });

  it("pages through every user, newest first, with the total", async () => {
    const total = await db().user.count();
    const first = expectOk(await call(admin, "admin:list-users", { page: 1, pageSize: 2 }));
    expect(first).toMatchObject({ total, page: 1, pageSize: 2 });
    expect(first.users).toHaveLength(2);
    const seen = [];
    for (let page = 1; page <= Math.ceil(total / 2); page += 1) {
      seen.push(...expectOk(await call(admin, "admin:list-users", { page, pageSize: 2 })).users);
    }
    expect(new Set(seen.map((user) => user.id)).size).toBe(total);
    const times = seen.map((user) => Date.parse(user.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(expectOk(await call(admin, "admin:list-users", { page: 1000, pageSize: 2 })).users).toEqual([]);
  });

  it("describes each user without secrets", async () => {
    const { users } = expectOk(await call(admin, "admin:list-users", { search: "alice" }));
    expect(users).toEqual([
      {
        id: await userId("alice"),
        username: "alice",
        email: "alice@example.test",
        role: "user",
        createdAt: expect.any(String),
        emailVerified: expect.any(Boolean),
        locked: false,
        lockReason: null,
        devices: 0,
      },
    ]);
  });

  it("finds users by a part of the username or the email, in any case, and counts only those", async () => {
    const byName = expectOk(await call(admin, "admin:list-users", { search: "PAGE.", pageSize: 2 }));
    expect(byName.total).toBe(4);
    expect(byName.users.every((user) => user.username.startsWith("page."))).toBe(true);
    const byEmail = expectOk(await call(admin, "admin:list-users", { search: "alice@example" }));
    expect(byEmail.users.map((user) => user.username)).toEqual(["alice"]);
  });

  it("reads % and _ in a search as the characters themselves", async () => {
    expect(expectOk(await call(admin, "admin:list-users", { search: "page_" })).users.map((user) => user.username)).toEqual(["page_five"]);
    expect(expectOk(await call(admin, "admin:list-users", { search: "%" })).total).toBe(0);
  });

  it("refuses a page size above the maximum", async () => {
    expect(await call(admin, "admin:list-users", { pageSize: 101 })).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });
});

describe("admin:update-user", () => {
  it("changes the email (which then counts as verified) and the role, audited on both accounts", async () => {
    const erin = await registered("erin");
    const { user } = expectOk(await call(admin, "admin:update-user", { userId: erin.id, email: "Erin.New@Example.test", role: "admin" }));
    expect(user).toMatchObject({ email: "erin.new@example.test", role: "admin", emailVerified: true });
    const actions = await db().auditEvent.findMany({ where: { action: { in: ["admin.user_updated", "account.updated_by_admin"] } } });
    const rootId = await userId("root");
    expect(actions.filter((row) => row.userId === rootId && row.details?.includes(erin.id))).toHaveLength(1);
    expect(actions.filter((row) => row.userId === erin.id)).toHaveLength(1);
  });

  it("keeps emails unique", async () => {
    const frank = await registered("frank");
    expect(await call(admin, "admin:update-user", { userId: frank.id, email: "alice@example.test" })).toMatchObject({ ok: false, error: { code: "email_taken" } });
    expect((await db().user.findUniqueOrThrow({ where: { id: frank.id } })).email).toBe("frank@example.test");
  });

  it("answers user_not_found for an unknown id", async () => {
    expect(await call(admin, "admin:update-user", { userId: "no-such-user", role: "admin" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
  });

  it("will not let an admin remove their own admin role", async () => {
    const ack = await call(admin, "admin:update-user", { userId: await userId("root"), role: "user" });
    expect(ack).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect((await db().user.findUniqueOrThrow({ where: { username: "root" } })).role).toBe("admin");
  });
});

describe("admin:lock-user and admin:unlock-user", () => {
  it("tells the person on clients and devices, ends every session at once, disconnects their clients, and refuses their logins", async () => {
    const gina = await registered("gina");
    const { socket, token } = await logIn(hub, gina);
    const paired = await pairDevice(hub, socket, "phone");
    const device = await connectDevice(hub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken });
    const notice = nextNotice(socket, "account_locked");
    const deviceNotice = nextNotice(device, "account_locked");
    const revocation = nextRevocation(socket);
    const locked = expectOk(await call(admin, "admin:lock-user", { userId: gina.id, reason: "under review" }));
    expect(locked).toMatchObject({ user: { locked: true, lockReason: "under review", devices: 1 }, sessionsEnded: 1 });
    expect((await notice).kind).toBe("account_locked");
    expect((await deviceNotice).kind).toBe("account_locked");
    const { revoked, disconnected } = await revocation;
    expect(revoked.reason).toBe("account_locked");
    await disconnected;
    // The device stays paired, so that unlocking gives the person back what they had.
    expect(device.connected).toBe(true);
    device.disconnect();
    expect(await db().session.count({ where: { userId: gina.id } })).toBe(0);
    await expect(connectClient(hub, { token })).rejects.toMatchObject({ data: { code: "invalid_token" } });

    const fresh = await connectClient(hub);
    expect(await call(fresh, "auth:login", { username: "gina", password: gina.password })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    // A stranger without the password learns nothing about the lock.
    expect(await call(fresh, "auth:login", { username: "gina", password: "not-her-password" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    fresh.disconnect();
    expect(await db().auditEvent.count({ where: { userId: gina.id, action: { in: ["account.locked", "login.account_locked"] } } })).toBe(2);
  });

  it("refuses to complete a login challenge opened before the lock", async () => {
    const hank = await registered("hank");
    const socket = await connectClient(hub);
    const challenge = expectOk(await call(socket, "auth:login", { username: "hank", password: hank.password }));
    expectOk(await call(admin, "admin:lock-user", { userId: hank.id }));
    const signature = signChallenge(hank.keys.privateKey, challenge.challengeId, challenge.nonce);
    expect(await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature })).toMatchObject({ ok: false, error: { code: "account_locked" } });
    expect(await db().session.count({ where: { userId: hank.id } })).toBe(0);
    socket.disconnect();
  });

  it("unlocks: the person logs in again", async () => {
    const ivan = await registered("ivan");
    expectOk(await call(admin, "admin:lock-user", { userId: ivan.id }));
    const { user } = expectOk(await call(admin, "admin:unlock-user", { userId: ivan.id }));
    expect(user).toMatchObject({ locked: false, lockReason: null });
    const { socket } = await logIn(hub, ivan);
    socket.disconnect();
    expect(await db().auditEvent.count({ where: { userId: ivan.id, action: "account.unlocked" } })).toBe(1);
  });

  it("will not let an admin lock themselves, and answers user_not_found for an unknown id", async () => {
    expect(await call(admin, "admin:lock-user", { userId: await userId("root") })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(admin.connected).toBe(true);
    expect(await call(admin, "admin:lock-user", { userId: "nobody" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
    expect(await call(admin, "admin:unlock-user", { userId: "nobody" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
  });
});

describe("admin:delete-user", () => {
  it("disconnects the user's live client and device sockets, and removes the account with everything it had", async () => {
    const jane = await registered("jane");
    const { socket: client } = await logIn(hub, jane);
    const paired = await pairDevice(hub, client, "phone");
    const device = await connectDevice(hub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken });
    const clientRevoked = nextRevocation(client);
    const deviceRevoked = nextPush<{ deviceId: string }>(device, "device:revoked");
    const deviceGone = nextPush<string>(device, "disconnect");

    expectOk(await call(admin, "admin:delete-user", { userId: jane.id }));
    const { revoked, disconnected } = await clientRevoked;
    expect(revoked.reason).toBe("account_deleted");
    expect(await disconnected).toBe("io server disconnect");
    expect(await deviceRevoked).toEqual({ deviceId: paired.deviceId });
    expect(await deviceGone).toBe("io server disconnect");

    expect(await db().user.count({ where: { id: jane.id } })).toBe(0);
    for (const count of [
      db().session.count({ where: { userId: jane.id } }),
      db().device.count({ where: { userId: jane.id } }),
      db().clientKey.count({ where: { userId: jane.id } }),
      db().bindingCode.count({ where: { userId: jane.id } }),
      db().loginChallenge.count({ where: { userId: jane.id } }),
    ]) expect(await count).toBe(0);
    await expect(connectDevice(hub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken })).rejects.toMatchObject({ data: { code: "invalid_device_token" } });
    const deleted = await db().auditEvent.findFirstOrThrow({ where: { action: "admin.user_deleted", userId: await userId("root") }, orderBy: { createdAt: "desc" } });
    expect(JSON.parse(deleted.details!)).toMatchObject({ targetUserId: jane.id, targetUsername: "jane" });
  });

  it("will not let an admin delete themselves, and answers user_not_found for an unknown id", async () => {
    expect(await call(admin, "admin:delete-user", { userId: await userId("root") })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await call(admin, "admin:delete-user", { userId: "nobody" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
    expect(await db().user.count({ where: { username: "root" } })).toBe(1);
  });
});
