import { io, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ANONYMOUS_SOCKETS_PER_ADDRESS } from "../server/transport/socket/anonymous-sockets.ts";
import { call, callRaw, connectClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { connectDevice, type TestDeviceSocket } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

const closedByHub = (socket: TestSocket | TestDeviceSocket) => new Promise<string>((resolve) => (socket as unknown as Socket).once("disconnect", (reason: string) => resolve(reason)));

/** A handshake's refusal code, or "connected". */
function connectOutcome(from: string, namespace = "/client", auth: object = {}): Promise<string> {
  const socket = io(`${hub.url}${namespace}`, { ca: hub.ca, transports: ["websocket"], reconnection: false, forceNew: true, auth, localAddress: from } as never);
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.disconnect();
      resolve("connected");
    });
    socket.once("connect_error", (error: Error & { data?: { code?: string } }) => resolve(error.data?.code ?? error.message));
  });
}

describe("anonymous sockets must use the connection soon", () => {
  it("closes /client and /device sockets that send nothing, and keeps those that sent an event or carry a session", async () => {
    const owner = newAccount("idler");
    await register(hub, owner);
    const { token } = await logIn(hub, owner);
    const [silentClient, silentDevice, busyClient, withSession] = await Promise.all([
      connectClient(hub, {}, "127.0.60.1"),
      connectDevice(hub, {}, "127.0.60.1"),
      connectClient(hub, {}, "127.0.60.2"),
      connectClient(hub, { token }, "127.0.60.3"),
    ]);
    await call(busyClient, "password:forgot", { login: "idler" });
    expect(await Promise.all([closedByHub(silentClient), closedByHub(silentDevice)])).toEqual(["io server disconnect", "io server disconnect"]);
    expect(busyClient.connected).toBe(true);
    expect(expectOk(await call(withSession, "account:me", {})).user.username).toBe("idler");
    busyClient.disconnect();
    withSession.disconnect();
  }, 30_000);
});

describe("one address holds only a few anonymous sockets", () => {
  it(`refuses an anonymous socket past ${ANONYMOUS_SOCKETS_PER_ADDRESS} from one address, counting each namespace apart, and no other address's`, async () => {
    const held = await Promise.all(Array.from({ length: ANONYMOUS_SOCKETS_PER_ADDRESS }, () => connectClient(hub, {}, "127.0.61.1")));
    expect(await connectOutcome("127.0.61.1")).toBe("too_many_connections");
    expect(await connectOutcome("127.0.61.2")).toBe("connected");
    // The /device namespace counts its own.
    expect(await connectOutcome("127.0.61.1", "/device")).toBe("connected");
    held.pop()!.disconnect();
    // Once the hub has heard of the close, the place is free again.
    await expect.poll(() => connectOutcome("127.0.61.1")).toBe("connected");
    for (const socket of held) socket.disconnect();
  });

  it("does not count a socket that logged in on its anonymous connection", async () => {
    const owner = newAccount("crowd");
    await register(hub, owner);
    const loggedIn: TestSocket[] = [];
    for (let i = 0; i < ANONYMOUS_SOCKETS_PER_ADDRESS; i += 1) loggedIn.push((await logIn(hub, owner, await connectClient(hub, {}, "127.0.62.1"))).socket);
    expect(await connectOutcome("127.0.62.1")).toBe("connected");
    for (const socket of loggedIn) socket.disconnect();
  });
});

describe("unknown events", () => {
  it("are logged once per interval, not once per event", async () => {
    const socket = await connectClient(hub, {}, "127.0.63.1");
    const before = hub.logs.filter((line) => line.includes("unknown event")).length;
    for (let i = 0; i < 30; i += 1) expect(await callRaw(socket, `no-such-event-${i}`, {})).toMatchObject({ ok: false, error: { code: "unknown_event" } });
    expect(hub.logs.filter((line) => line.includes("unknown event")).length - before).toBeLessThanOrEqual(1);
    socket.disconnect();
  });
});
