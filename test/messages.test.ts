import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MESSAGE_MAX_LENGTH, WAITING_MESSAGE_TTL_SECONDS, WAITING_MESSAGES_PER_RECIPIENT_MAX, type PushPayload } from "#protocol";
import { sweep } from "../server/housekeeping.ts";
import { connectedSessionIds } from "../server/transport/socket/socket-server.ts";
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

/** A logged-in socket that asked for messages, and what waited for it. */
async function listener(account: typeof alice): Promise<{ socket: TestSocket; waiting: PushPayload<"message:new">[] }> {
  const socket = await session(account);
  const { waiting } = expectOk(await call(socket, "message:listen", {}));
  return { socket, waiting };
}

/** Collects every message:new a socket receives. */
function inbox(socket: TestSocket): PushPayload<"message:new">[] {
  const received: PushPayload<"message:new">[] = [];
  socket.on("message:new", (message) => received.push(message));
  return received;
}

async function closeAll(): Promise<void> {
  for (const socket of open.splice(0)) socket.disconnect();
  // The hub forgets a socket's rooms once it has seen it go.
  await expect.poll(() => connectedSessionIds(hub.hub.io).length).toBe(0);
}

const waitingRows = () => hub.hub.context.db.waitingMessage.count();

describe("message:send", () => {
  it("reaches every listening client of the recipient, live, and neither the sender's nor one that does not listen", async () => {
    const sender = await session(alice);
    const senderOther = await listener(alice);
    const laptop = await listener(bob);
    const phone = await listener(bob);
    const notListening = inbox(await session(bob));
    const senderInbox = inbox(senderOther.socket);
    const onLaptop = nextPush<PushPayload<"message:new">>(laptop.socket, "message:new");
    const onPhone = nextPush<PushPayload<"message:new">>(phone.socket, "message:new");

    const sent = expectOk(await call(sender, "message:send", { to: "Bob", text: "  lunch at noon?\nby the river  " }));
    expect(sent).toEqual({ messageId: expect.any(String), delivered: true });
    const expected = { messageId: sent.messageId, from: "alice", text: "lunch at noon?\nby the river", sentAt: expect.any(String) };
    expect(await onLaptop).toEqual(expected);
    expect(await onPhone).toEqual(expected);
    expect(Math.abs(Date.parse((await onPhone).sentAt) - hub.clock.now().getTime())).toBeLessThan(10_000);
    expect(senderInbox).toEqual([]);
    expect(notListening).toEqual([]);
    expect(await waitingRows()).toBe(0);
    await closeAll();
  });

  it("keeps messages for a recipient with no client listening and hands them over, in order, when one listens, then deletes them", async () => {
    const sender = await session(alice);
    // Logged in but not listening (another command of the client): the messages must not be lost to it.
    const busy = inbox(await session(carol));
    const texts = ["first", "second", "third", "fourth"];
    const replies = [];
    for (const text of texts) replies.push(expectOk(await call(sender, "message:send", { to: "carol", text })));
    for (const reply of replies) {
      expect(reply.delivered).toBe(false);
      expect(Date.parse(reply.waitsUntil!) - hub.clock.now().getTime()).toBeGreaterThan((WAITING_MESSAGE_TTL_SECONDS - 60) * 1000);
    }

    const first = await listener(carol);
    expect(first.waiting.map((message) => [message.messageId, message.from, message.text])).toEqual(
      replies.map((reply, index) => [reply.messageId, "alice", texts[index]]),
    );
    expect(busy).toEqual([]);
    expect(await waitingRows()).toBe(0);
    expect((await listener(carol)).waiting).toEqual([]);

    // Once listening, the next one is live.
    const live = nextPush<PushPayload<"message:new">>(first.socket, "message:new");
    expect(expectOk(await call(sender, "message:send", { to: "carol", text: "now live" })).delivered).toBe(true);
    expect(await live).toMatchObject({ text: "now live" });
    await closeAll();
  });

  it("treats a recipient whose session ended as not listening", async () => {
    const sender = await session(alice);
    const { socket } = await listener(carol);
    expectOk(await call(socket, "auth:logout-all", {}));
    expect(expectOk(await call(sender, "message:send", { to: "carol", text: "still there?" })).delivered).toBe(false);
    expect((await listener(carol)).waiting).toMatchObject([{ text: "still there?" }]);
    await closeAll();
  });

  it(`keeps at most ${WAITING_MESSAGES_PER_RECIPIENT_MAX} messages for one recipient, then answers recipient_offline`, async () => {
    const erin = newAccount("erin");
    await register(hub, erin);
    const user = await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: "erin" } });
    const sentAt = new Date();
    await hub.hub.context.db.waitingMessage.createMany({
      data: Array.from({ length: WAITING_MESSAGES_PER_RECIPIENT_MAX }, (_, index) => ({
        messageId: `filler-${index}`,
        recipientId: user.id,
        sender: "alice",
        text: `filler ${index}`,
        sentAt,
        expiresAt: new Date(sentAt.getTime() + 60_000),
      })),
    });
    const sender = await session(alice);
    const refused = await call(sender, "message:send", { to: "erin", text: "one too many" });
    expect(refused).toMatchObject({ ok: false, error: { code: "recipient_offline", message: expect.stringContaining(`${WAITING_MESSAGES_PER_RECIPIENT_MAX} messages waiting`) } });
    const { waiting } = await listener(erin);
    expect(waiting).toHaveLength(WAITING_MESSAGES_PER_RECIPIENT_MAX);
    expect(waiting.map((message) => message.text)).toEqual(Array.from({ length: WAITING_MESSAGES_PER_RECIPIENT_MAX }, (_, index) => `filler ${index}`));
    await closeAll();
  });

  it("never hands over a message past its lifetime, and the sweep deletes it", async () => {
    const sender = await session(alice);
    expect(expectOk(await call(sender, "message:send", { to: "carol", text: "old news" })).delivered).toBe(false);
    const past = new Date(Date.now() - 1000);
    await hub.hub.context.db.waitingMessage.updateMany({ data: { expiresAt: past } });
    await sweep(hub.hub.context, () => []);
    expect(await waitingRows()).toBe(0);

    expectOk(await call(sender, "message:send", { to: "carol", text: "expired, not swept yet" }));
    await hub.hub.context.db.waitingMessage.updateMany({ data: { expiresAt: past } });
    expect((await listener(carol)).waiting).toEqual([]);
    await hub.hub.context.db.waitingMessage.deleteMany({});
    await closeAll();
  });

  it("deletes the messages waiting for an account when the account is deleted", async () => {
    const frank = newAccount("frank");
    await register(hub, frank);
    const sender = await session(alice);
    expectOk(await call(sender, "message:send", { to: "frank", text: "for a short-lived account" }));
    expect(await waitingRows()).toBe(1);
    await hub.hub.context.db.user.delete({ where: { username: "frank" } });
    expect(await waitingRows()).toBe(0);
    await closeAll();
  });

  it("answers user_not_found for an unknown recipient, in message:send and in message:listen's peer", async () => {
    const sender = await session(alice);
    expect(await call(sender, "message:send", { to: "nobody", text: "hi" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
    expect(await call(sender, "message:listen", { peer: "nobody" })).toMatchObject({ ok: false, error: { code: "user_not_found" } });
    expect(expectOk(await call(sender, "message:listen", { peer: "carol" })).peer).toEqual({ username: "carol", listening: false });
    await listener(carol);
    expect(expectOk(await call(sender, "message:listen", { peer: "Carol" })).peer).toEqual({ username: "carol", listening: true });
    await closeAll();
  });

  it("lets people write to themselves: the message reaches their own listening clients", async () => {
    const sender = await session(bob);
    const other = await listener(bob);
    const arrived = nextPush<PushPayload<"message:new">>(other.socket, "message:new");
    expectOk(await call(sender, "message:send", { to: "bob", text: "note to self" }));
    expect(await arrived).toMatchObject({ from: "bob", text: "note to self" });
    await closeAll();
  });

  it(`takes up to ${MESSAGE_MAX_LENGTH} characters, and refuses empty texts and control characters`, async () => {
    const sender = await session(alice);
    await listener(bob);
    expectOk(await call(sender, "message:send", { to: "bob", text: "x".repeat(MESSAGE_MAX_LENGTH) }));
    for (const text of ["x".repeat(MESSAGE_MAX_LENGTH + 1), "   ", "", "\u001b[2Jfake screen", "over\rwrite"]) {
      expect(await call(sender, "message:send", { to: "bob", text }), JSON.stringify(text.slice(0, 20))).toMatchObject({ ok: false, error: { code: "invalid_request" } });
    }
    expectOk(await call(sender, "message:send", { to: "bob", text: "tabs\tand\nnewlines are text" }));
    await closeAll();
  });

  it("is refused to anonymous sockets", async () => {
    const anonymous = await connectClient(hub);
    expect(await call(anonymous, "message:send", { to: "bob", text: "hi" })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(await call(anonymous, "message:listen", {})).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    anonymous.disconnect();
  });
});

describe("message:send rate limit", () => {
  it(`allows ${DEFAULT_RATE_LIMITS.messagesPerUser.points} messages per ${DEFAULT_RATE_LIMITS.messagesPerUser.durationSeconds} s per sender, across their sockets`, async () => {
    const dave = newAccount("dave");
    await register(hub, dave);
    const first = await session(dave);
    const second = await session(dave);
    await listener(bob);
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
