import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOGIN_CHALLENGE_TTL_SECONDS } from "#protocol";
import { call, connectClient, connectSharedClient, expectOk, logIn, newAccount, register, signChallenge, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let socket: TestSocket;
const alice = newAccount("alice");
const mallory = newAccount("mallory");

beforeAll(async () => {
  hub = await startTestHub();
  await register(hub, alice);
  await register(hub, mallory);
  socket = await connectSharedClient(hub);
});
afterAll(async () => {
  socket.disconnect();
  await hub.destroy();
});

async function challengeFor(account: typeof alice) {
  return expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
}

describe("auth:login", () => {
  it("answers a challenge with a 32-byte nonce valid for 120 s", async () => {
    const challenge = await challengeFor(alice);
    expect(Buffer.from(challenge.nonce, "base64url")).toHaveLength(32);
    expect(challenge.factors).toEqual(["signature"]);
    const lifetime = Date.parse(challenge.expiresAt) - hub.clock.now().getTime();
    expect(lifetime).toBeGreaterThan((LOGIN_CHALLENGE_TTL_SECONDS - 5) * 1000);
    expect(lifetime).toBeLessThanOrEqual(LOGIN_CHALLENGE_TTL_SECONDS * 1000);
  });

  it("accepts the username in any case", async () => {
    expectOk(await call(socket, "auth:login", { username: "ALICE", password: alice.password }));
  });

  it("gives the same answer for an unknown user and a wrong password", async () => {
    const unknown = await call(socket, "auth:login", { username: "nobody", password: "whatever-password" });
    const wrong = await call(socket, "auth:login", { username: "alice", password: "whatever-password" });
    expect(unknown).toEqual(wrong);
    expect(wrong).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
  });

  it("checks a bcrypt hash for unknown users too, so they take as long", async () => {
    const pool = hub.hub.context.passwords;
    await call(socket, "auth:login", { username: "nobody-else", password: "whatever-password" }); // makes the dummy hash
    const before = pool.completedTasks();
    await call(socket, "auth:login", { username: "nobody-at-all", password: "whatever-password" });
    expect(pool.completedTasks()).toBe(before + 1);
  });
});

describe("auth:complete", () => {
  it("returns a session token once for a valid signature and authenticates the socket", async () => {
    const fresh = await connectClient(hub);
    const challenge = expectOk(await call(fresh, "auth:login", { username: "alice", password: alice.password }));
    const signature = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    const done = expectOk(await call(fresh, "auth:complete", { challengeId: challenge.challengeId, signature, clientName: "test" }));
    expect(Buffer.from(done.token, "base64url")).toHaveLength(32);
    expect(done.user.username).toBe("alice");
    const me = expectOk(await call(fresh, "account:me", {}));
    expect(me.user.username).toBe("alice");
    fresh.disconnect();
  });

  it("stores only the SHA-256 of the token", async () => {
    const { token, socket: s } = await logIn(hub, alice);
    s.disconnect();
    const rows = await hub.hub.context.db.session.findMany();
    expect(rows.some((row) => row.tokenHash === token)).toBe(false);
    const { createHash } = await import("node:crypto");
    expect(rows.some((row) => row.tokenHash === createHash("sha256").update(token).digest("hex"))).toBe(true);
  });

  it("refuses a replayed challenge", async () => {
    const challenge = await challengeFor(alice);
    const signature = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    expectOk(await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature }));
    const replay = await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature });
    expect(replay).toMatchObject({ ok: false, error: { code: "challenge_used" } });
  });

  it("refuses a signature by another account's key (a foreign challenge)", async () => {
    const challenge = await challengeFor(alice);
    const signature = signChallenge(mallory.keys.privateKey, challenge.challengeId, challenge.nonce);
    const ack = await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature });
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
  });

  it("uses the challenge up after a bad signature, so it cannot be guessed at", async () => {
    const challenge = await challengeFor(alice);
    await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature: "AAAA" });
    const good = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    const ack = await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature: good });
    expect(ack).toMatchObject({ ok: false, error: { code: "challenge_used" } });
  });

  it("refuses a signature over another challenge's nonce", async () => {
    const first = await challengeFor(alice);
    const second = await challengeFor(alice);
    const signature = signChallenge(alice.keys.privateKey, first.challengeId, first.nonce);
    const ack = await call(socket, "auth:complete", { challengeId: second.challengeId, signature });
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
  });

  it("refuses an expired challenge", async () => {
    const challenge = await challengeFor(alice);
    hub.clock.advance(LOGIN_CHALLENGE_TTL_SECONDS * 1000);
    const signature = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    const ack = await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature });
    expect(ack).toMatchObject({ ok: false, error: { code: "challenge_expired" } });
  });

  it("refuses an unknown challenge", async () => {
    const ack = await call(socket, "auth:complete", { challengeId: "00000000-0000-4000-8000-000000000000", signature: "AAAA" });
    expect(ack).toMatchObject({ ok: false, error: { code: "challenge_not_found" } });
  });

  it("lets exactly one of two concurrent completions of one challenge through", async () => {
    const challenge = await challengeFor(alice);
    const signature = signChallenge(alice.keys.privateKey, challenge.challengeId, challenge.nonce);
    const other = await connectClient(hub);
    const answers = await Promise.all([
      call(socket, "auth:complete", { challengeId: challenge.challengeId, signature }),
      call(other, "auth:complete", { challengeId: challenge.challengeId, signature }),
    ]);
    other.disconnect();
    expect(answers.filter((ack) => ack.ok)).toHaveLength(1);
  });

  it("audits successes and failures with the address", async () => {
    const actions = (await hub.hub.context.db.auditEvent.findMany()).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["login.succeeded", "login.password_failed", "login.signature_failed"]));
  });
});
