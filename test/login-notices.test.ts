import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { call, expectOk, logIn, newAccount, register, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

/** A client socket from another loopback address (on Linux, all of 127.0.0.0/8 is the loopback). */
async function connectFrom(localAddress: string): Promise<TestSocket> {
  const socket: TestSocket = io(`${hub.url}/client`, { ca: hub.ca, transports: ["websocket"], reconnection: false, forceNew: true, localAddress } as never);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

const logInFrom = async (account: TestAccount, address: string) => (await logIn(hub, account, await connectFrom(address))).socket;
/**
 * The hub sends a login's notice before it answers the login, so once `socket` has its answer to
 * a later call, any notice of that login has reached it.
 */
const heardUpTo = async (socket: TestSocket) => expectOk(await call(socket, "account:me", {}));

describe("the new-address notice", () => {
  it("tells the account's clients of a login from an address no earlier login came from, once", async () => {
    const alice = newAccount("alice");
    await register(hub, alice);
    const first = await logInFrom(alice, "127.0.0.2"); // the very first login is no news
    const notices: PushPayload<"security:notice">[] = [];
    first.on("security:notice", (notice) => notices.push(notice));
    const newAddress = () => notices.filter((notice) => notice.kind === "new_address");

    const others = [await logInFrom(alice, "127.0.0.2")];
    await heardUpTo(first);
    expect(newAddress()).toEqual([]);

    others.push(await logInFrom(alice, "127.0.0.3"));
    await expect.poll(newAddress).toHaveLength(1);
    expect(newAddress()[0]!.message).toContain("127.0.0.3");

    others.push(await logInFrom(alice, "127.0.0.3"));
    await heardUpTo(first);
    expect(newAddress()).toHaveLength(1);
    for (const socket of [first, ...others]) socket.disconnect();
  });
});
