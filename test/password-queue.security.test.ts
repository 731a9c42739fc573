import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Ack } from "#protocol";
import { call, connectClient, expectOk, newAccount, register, signChallenge, signKeyProof, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  // One thread and a real cost, so that a flood really queues.
  hub = await startTestHub({ env: { PAIRGATE_BCRYPT_COST: "6", PAIRGATE_HASH_THREADS: "1" } });
});
afterAll(() => hub.destroy());

const FLOOD_ADDRESSES = Array.from({ length: 300 }, (_, i) => `127.0.${30 + Math.floor(i / 150)}.${1 + (i % 150)}`);
const FLOOD_ANSWER_TIMEOUT_MS = 90_000;
const busy = (ack: Ack<unknown>) => !ack.ok && ack.error.code === "rate_limited";

/** 600 wrong logins, 2 from each of 300 addresses, for names that are all different; resolves when every one is sent. */
async function startFlood(): Promise<{ sockets: TestSocket[]; answers: Promise<Ack<unknown>>[]; answered: () => number; firstRefusal: Promise<void> }> {
  const sockets = await Promise.all(FLOOD_ADDRESSES.map((address) => connectClient(hub, {}, address)));
  let answered = 0;
  let refused!: () => void;
  const firstRefusal = new Promise<void>((resolve) => (refused = resolve));
  const answers = sockets.flatMap((socket, i) =>
    [0, 1].map(async (j) => {
      // The last of the queue is answered after hundreds of checks: longer than call()'s patience on a busy machine.
      const ack = (await socket.timeout(FLOOD_ANSWER_TIMEOUT_MS).emitWithAck("auth:login", { username: `flood-${i}-${j}`, password: "wrong-password-123" })) as Ack<unknown>;
      answered += 1;
      if (busy(ack)) refused();
      return ack;
    }),
  );
  return { sockets, answers, answered: () => answered, firstRefusal };
}

describe("no global lockout by flooding the password queue", () => {
  it("the owner with a key proof logs in while 600 wrong logins from 300 addresses fill the queue", async () => {
    const owner = newAccount("owner");
    await register(hub, owner);

    const flood = await startFlood();
    // The open lane is full: the queue now holds as much of the flood as it ever will.
    await flood.firstRefusal;
    // Connected only now, as a person's client does when they log in: an anonymous socket that
    // sends nothing for 10 s is closed, and on a loaded machine the flood can take longer.
    const ownerSocket = await connectClient(hub, {}, "127.0.40.1");
    const challenge = expectOk(await call(ownerSocket, "auth:login", { username: "owner", password: owner.password, keyProof: signKeyProof(owner.keys, "owner") }));
    const stillQueued = flood.answers.length - flood.answered();
    const signature = signChallenge(owner.keys.privateKey, challenge.challengeId, challenge.nonce);
    expectOk(await call(ownerSocket, "auth:complete", { challengeId: challenge.challengeId, signature }));

    const answers = await Promise.all(flood.answers);
    // The owner did not wait behind the flood: most of it was still queued when the owner got in.
    expect(stillQueued).toBeGreaterThan(100);
    expect(answers.every((ack) => !ack.ok && ["invalid_credentials", "rate_limited"].includes(ack.error.code))).toBe(true);
    for (const socket of [...flood.sockets, ownerSocket]) socket.disconnect();
  }, 120_000);

  it("one address gets at most 16 places in the queue, another address is still let in meanwhile, and refusals count for nothing", async () => {
    const greedy = await connectClient(hub, {}, "127.0.41.1");
    const answers = Promise.all(Array.from({ length: 40 }, (_, i) => call(greedy, "auth:login", { username: `greedy-${i}`, password: "wrong-password-123" })));
    const other = await connectClient(hub, {}, "127.0.41.2");
    expect(await call(other, "auth:login", { username: "someone", password: "wrong-password-123" })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    const settled = await answers;
    expect(settled.filter((ack) => !ack.ok && ack.error.code === "invalid_credentials").length).toBeLessThanOrEqual(16 + 1);
    expect(settled.filter(busy).length).toBeGreaterThanOrEqual(40 - 17);
    // A login refused for a full queue was never tried: it counts against no failure limit.
    const limits = hub.hub.context.limits;
    const refusedName = `greedy-${settled.findIndex(busy)}`;
    expect((await limits.loginFailuresPerAccountAddress.get(`${refusedName}|127.0.41.1`))?.consumedPoints ?? 0).toBe(0);
    expect((await limits.loginFailuresPerAddress.get("127.0.41.1"))?.consumedPoints).toBeLessThanOrEqual(17);
    greedy.disconnect();
    other.disconnect();
  }, 60_000);
});
