import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { connectDevice, nextPush, pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.destroy();
});

const db = () => hub.hub.context.db;

/** Resolves with the next session:revoked, and then with the disconnect that follows it. */
function nextRevocation(socket: TestSocket): Promise<{ revoked: PushPayload<"session:revoked">; disconnected: Promise<string> }> {
  return new Promise((resolve) => {
    socket.once("session:revoked", (revoked) => resolve({ revoked, disconnected: new Promise((done) => socket.once("disconnect", done)) }));
  });
}

describe("account:delete", () => {
  it("refuses a wrong password and deletes nothing", async () => {
    const carol = newAccount("carol");
    await register(hub, carol);
    const { socket } = await logIn(hub, carol);

    expect(await call(socket, "account:delete", { password: "not-the-password-at-all" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    expect(await db().user.count({ where: { username: "carol" } })).toBe(1);
    expectOk(await call(socket, "account:me", {}));
    const failed = await db().auditEvent.count({ where: { action: "account.delete_failed", user: { username: "carol" } } });
    expect(failed).toBe(1);
    socket.disconnect();
  });

  it("answers unauthorized without a session", async () => {
    const socket = await connectClient(hub);
    expect(await call(socket, "account:delete", { password: "violet-ember-canyon-42" })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    socket.disconnect();
  });

  it("with the password, deletes the account with everything, closes its sockets, and no login works afterwards", async () => {
    const dave = newAccount("dave");
    await register(hub, dave);
    const { socket } = await logIn(hub, dave);
    const { socket: other } = await logIn(hub, dave);
    const paired = await pairDevice(hub, socket, "phone");
    const device = await connectDevice(hub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken });
    const userId = (await db().user.findUniqueOrThrow({ where: { username: "dave" } })).id;
    const ownSocketClosed = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const otherRevoked = nextRevocation(other);
    const deviceGone = nextPush<string>(device, "disconnect");

    expect(expectOk(await call(socket, "account:delete", { password: dave.password }))).toEqual({ deleted: true });
    expect(await ownSocketClosed).toBe("io server disconnect");
    const { revoked, disconnected } = await otherRevoked;
    expect(revoked.reason).toBe("account_deleted");
    expect(await disconnected).toBe("io server disconnect");
    expect(await deviceGone).toBe("io server disconnect");

    expect(await db().user.count({ where: { id: userId } })).toBe(0);
    for (const count of [
      db().session.count({ where: { userId } }),
      db().device.count({ where: { userId } }),
      db().clientKey.count({ where: { userId } }),
      db().bindingCode.count({ where: { userId } }),
      db().loginChallenge.count({ where: { userId } }),
    ]) expect(await count).toBe(0);
    const deleted = await db().auditEvent.findFirstOrThrow({ where: { action: "account.deleted" }, orderBy: { createdAt: "desc" } });
    expect(deleted.userId).toBeNull();
    expect(JSON.parse(deleted.details!)).toMatchObject({ deletedUserId: userId, deletedUsername: "dave", devices: 1 });

    const fresh = await connectClient(hub);
    expect(await call(fresh, "auth:login", { username: "dave", password: dave.password })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    fresh.disconnect();
    await expect(connectDevice(hub, { deviceId: paired.deviceId, deviceToken: paired.deviceToken })).rejects.toMatchObject({ data: { code: "invalid_device_token" } });
  });
});
