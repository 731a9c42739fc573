import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_MAX_LENGTH, type PushPayload } from "#protocol";
import { DEFAULT_RATE_LIMITS } from "../server/rate-limits.ts";
import { call, connectClient, expectOk, logIn, newAccount, register, type TestSocket } from "./support/client.ts";
import { nextPush } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
const alice = newAccount("alice");
const bob = newAccount("bob");
const carol = newAccount("carol");
const open: TestSocket[] = [];

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
  for (const account of [alice, bob, carol]) await register(hub, account);
});
afterAll(async () => {
  for (const socket of open) socket.disconnect();
  await hub.destroy();
});

async function session(account: typeof alice): Promise<TestSocket> {
  const { socket } = await logIn(hub, account);
  open.push(socket);
  return socket;
}

/** Collects every message:new a socket receives. */
function inbox(socket: TestSocket): PushPayload<"message:new">[] {
  const received: PushPayload<"message:new">[] = [];
  socket.on("message:new", (message) => received.push(message));
  return received;
}

describe("message:send", () => {
  it("reaches every connected client of the recipient, live, and none of the sender's", async () => {
    const sender = await session(alice);
    const senderOther = await session(alice);
    const laptop = await session(bob);
    const phone = await session(bob);
    const senderInbox = inbox(senderOther);
    const onLaptop = nextPush<PushPayload<"message:new">>(laptop, "message:new");
    const onPhone = nextPush<PushPayload<"message:new">>(phone, "message:new");

    const sent = expectOk(await call(sender, "message:send", { to: "Bob", text: "  lunch at noon?\nby the river  " }));
    expect(sent.delivered).toBe(true);
    const expected = { messageId: sent.messageId, from: "alice", text: "lunch at noon?\nby the river", sentAt: expect.any(String) };
    expect(await onLaptop).toEqual(expected);
    expect(await onPhone).toEqual(expected);
    expect(Math.abs(Date.parse((await onPhone).sentAt) - hub.clock.now().getTime())).toBeLessThan(10_000);
    expect(senderInbox).toEqual([]);
  });

  it("answers recipient_offline when the recipient has no client connected, and keeps nothing", async () => {
    const sender = await session(alice);
    // An anonymous socket is not carol's.
    const anonymous = await connectClient(hub);
    const leftOver = inbox(anonymous);
    expect(await call(sender, "message:send", { to: "carol", text: "hello?" })).toMatchObject({ ok: false, error: { code: "recipient_offline" } });
    const later = await session(carol);
    const carolInbox = inbox(later);
    // A message sent now arrives; one kept from before would have come first.
    const arrived = nextPush<PushPayload<"message:new">>(later, "message:new");
    const { messageId } = expectOk(await call(sender, "message:send", { to: "carol", text: "there now?" }));
    await arrived;
    expect(carolInbox.map((message) => message.messageId)).toEqual([messageId]);
    expect(leftOver).toEqual([]);
    anonymous.disconnect();
  });

  it("treats a recipient whose session ended as offline", async () => {
    const sender = await session(alice);
    const { socket } = await logIn(hub, carol);
    expectOk(await call(socket, "auth:logout-all", {}));
    expect(await call(sender, "message:send", { to: "carol", text: "still there?" })).toMatchObject({ ok: false, error: { code: "recipient_offline" } });
  });

  it("answers user_not_found for an unknown recipient", async () => {
    const sender = await session(alice);
    expect(await call(sender, "message:send", { to: "nobody", text: "hi" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
  });

  it("lets people write to themselves: the message reaches their own clients", async () => {
    const sender = await session(bob);
    const other = await session(bob);
    const arrived = nextPush<PushPayload<"message:new">>(other, "message:new");
    expectOk(await call(sender, "message:send", { to: "bob", text: "note to self" }));
    expect(await arrived).toMatchObject({ from: "bob", text: "note to self" });
  });

  it(`takes up to ${MESSAGE_MAX_LENGTH} characters, and refuses empty texts and control characters`, async () => {
    const sender = await session(alice);
    await session(bob);
    expectOk(await call(sender, "message:send", { to: "bob", text: "x".repeat(MESSAGE_MAX_LENGTH) }));
    for (const text of ["x".repeat(MESSAGE_MAX_LENGTH + 1), "   ", "", "\u001b[2Jfake screen", "over\rwrite"]) {
      expect(await call(sender, "message:send", { to: "bob", text }), JSON.stringify(text.slice(0, 20))).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    }
    expectOk(await call(sender, "message:send", { to: "bob", text: "tabs\tand\nnewlines are text" }));
  });

  it("is refused to anonymous sockets", async () => {
    const anonymous = await connectClient(hub);
    expect(await call(anonymous, "message:send", { to: "bob", text: "hi" })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    anonymous.disconnect();
  });
});

describe("message:send rate limit", () => {
  it(`allows ${DEFAULT_RATE_LIMITS.messagesPerUser.points} messages per ${DEFAULT_RATE_LIMITS.messagesPerUser.durationSeconds} s per sender, across their sockets`, async () => {
    const dave = newAccount("dave");
    await register(hub, dave);
    const first = await session(dave);
    const second = await session(dave);
    await session(bob);
    const { points } = DEFAULT_RATE_LIMITS.messagesPerUser;
    for (let index = 0; index < points; index += 1) {
      expectOk(await call(index % 2 === 0 ? first : second, "message:send", { to: "bob", text: `message ${index}` }));
    }
    const refused = await call(second, "message:send", { to: "bob", text: "one too many" });
    expect(refused).toMatchObject({ ok: false, error: { code: "rate_limited", retryAfterSeconds: expect.any(Number) } });
    // Another sender is not held back.
    expectOk(await call(await session(alice), "message:send", { to: "bob", text: "still fine" }));
  });
});
