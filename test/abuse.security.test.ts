import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, register, signChallenge, STRONG_PASSWORD } from "./support/client.ts";
import { connectDevice, deviceCall } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_BCRYPT_COST: "8" } });
});
afterAll(() => hub.destroy());

describe("rate limits hold under parallel requests", () => {
  it("60 wrong passwords sent at once for one account get no more than 10 checks", async () => {
    const target = newAccount("target");
    await register(hub, target);
    const sockets = await Promise.all(Array.from({ length: 6 }, () => connectClient(hub)));
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => call(sockets[i % 6]!, "auth:login", { username: "target", password: `wrong-guess-${i}` })),
    );
    const checked = answers.filter((ack) => !ack.ok && ack.error.code === "invalid_credentials").length;
    expect(checked).toBeLessThanOrEqual(10);
    expect(answers.filter((ack) => !ack.ok && ack.error.code === "rate_limited").length).toBeGreaterThanOrEqual(50);
    for (const socket of sockets) socket.disconnect();
  });
});

describe("a stranger cannot lock a person out", () => {
  it("failures from one address do not stop the account's owner at another", async () => {
    const victim = newAccount("victim");
    await register(hub, victim);
    const attacker = await connectClient(hub);
    for (let i = 0; i < 12; i += 1) await call(attacker, "auth:login", { username: "victim", password: `attacker-guess-${i}` });
    expect(await call(attacker, "auth:login", { username: "victim", password: victim.password })).toMatchObject({ ok: false, error: { code: "rate_limited" } });
    attacker.disconnect();
    // The per-account-and-address bucket is keyed by the address; the owner's differs.
    const bucket = hub.hub.context.limits.loginFailuresPerAccountAddress;
    expect((await bucket.get("victim|203.0.113.9"))?.consumedPoints ?? 0).toBe(0);
    expect((await bucket.get("victim|127.0.0.1"))?.consumedPoints ?? 0).toBeGreaterThanOrEqual(10);
  });
});

describe("passwords beyond bcrypt's 72 bytes", () => {
  it("a login with the real password plus a tail is refused, not cut short", async () => {
    const long = newAccount("longpass");
    long.password = `${"violet-ember-canyon-".repeat(3)}twelve-chars`.slice(0, 72);
    await register(hub, long);
    const socket = await connectClient(hub);
    expectOk(await call(socket, "auth:login", { username: "longpass", password: long.password }));
    expect(await call(socket, "auth:login", { username: "longpass", password: `${long.password}-anything` })).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    socket.disconnect();
  });
});

describe("ended sessions leave nothing usable behind", () => {
  it("a binding code asked for by a session that was then revoked no longer pairs", async () => {
    const owner = newAccount("owner");
    await register(hub, owner);
    const thief = await logIn(hub, owner);
    const { code } = expectOk(await call(thief.socket, "device:create-binding-code", {}));
    const rightful = await logIn(hub, owner);
    expectOk(await call(rightful.socket, "auth:logout-all", {}));
    const device = await connectDevice(hub);
    expect(await deviceCall(device, "device:bind", { code, name: "thief-phone" })).toMatchObject({ ok: false, error: { code: "invalid_binding_code" } });
    device.disconnect();
  });

  it("a second login on one socket stops it hearing the first account", async () => {
    const carol = newAccount("carol");
    const dave = newAccount("dave");
    await register(hub, carol);
    await register(hub, dave);
    const shared = await logIn(hub, carol);
    await logIn(hub, dave, shared.socket);
    const heard: string[] = [];
    shared.socket.on("session:revoked", (payload: PushPayload<"session:revoked">) => heard.push(payload.sessionId));
    const elsewhere = await logIn(hub, carol);
    expectOk(await call(elsewhere.socket, "auth:logout-all", {}));
    expect(expectOk(await call(shared.socket, "account:me", {})).user.username).toBe("dave");
    expect(heard).toEqual([]);
    shared.socket.disconnect();
  });
});

describe("names shown on other screens", () => {
  it.each([["an escape sequence", "laptop\u001b[2J"], ["a newline", "laptop\npick 42"], ["a bidi override", "laptop\u202e"]])(
    "refuses a client name with %s",
    async (_label, clientName) => {
      const socket = await connectClient(hub);
      expect(await call(socket, "auth:login", { username: "nobody", password: STRONG_PASSWORD, clientName })).toMatchObject({
        ok: false,
        error: { code: "invalid_request", details: [{ path: "clientName" }] },
      });
      socket.disconnect();
    },
  );

  it("accepts an ordinary name with spaces and accents", async () => {
    const eve = newAccount("eve");
    await register(hub, eve);
    const socket = await connectClient(hub);
    const challenge = expectOk(await call(socket, "auth:login", { username: "eve", password: eve.password, clientName: "Ève's laptop (pairgate)" }));
    expectOk(await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature: signChallenge(eve.keys.privateKey, challenge.challengeId, challenge.nonce) }));
    socket.disconnect();
  });
});
