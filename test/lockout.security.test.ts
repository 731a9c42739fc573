import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./support/cli-process.ts";
import { call, connectClient, expectOk, newAccount, register, signChallenge, signKeyProof, type TestAccount, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

/**
 * 110 wrong passwords for the account, 10 from each of 11 addresses: the account's hourly limit
 * is spent. One at a time, so that none is refused for a full password queue (which counts nothing).
 */
async function lockOutByGuessing(username: string, block: number): Promise<void> {
  for (let index = 0; index < 11; index += 1) {
    const socket = await connectClient(hub, {}, `127.0.${block}.${10 + index}`);
    for (let guess = 0; guess < 10; guess += 1) await call(socket, "auth:login", { username, password: `guess-${index}-${guess}` });
    socket.disconnect();
  }
}

async function completeLogin(socket: TestSocket, account: TestAccount, challenge: { challengeId: string; nonce: string }) {
  return call(socket, "auth:complete", { challengeId: challenge.challengeId, signature: signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce) });
}

const refusedAsLimited = { ok: false, error: { code: "rate_limited" } };

describe("no targeted lockout", () => {
  let owner: TestAccount;
  beforeAll(async () => {
    owner = newAccount("target");
    await register(hub, owner);
    await lockOutByGuessing("target", 10);
  });

  it("strangers, and an old client sending no key proof, meet the account's limit", async () => {
    const stranger = await connectClient(hub, {}, "127.0.11.1");
    expect(await call(stranger, "auth:login", { username: "target", password: "one-more-guess" })).toMatchObject(refusedAsLimited);
    expect(await call(stranger, "auth:login", { username: "target", password: owner.password })).toMatchObject(refusedAsLimited);
    stranger.disconnect();
  });

  it("the owner with a proof of a known key logs in, from a fresh address or from a guesser's", async () => {
    for (const address of ["127.0.11.2", "127.0.10.10"]) {
      const socket = await connectClient(hub, {}, address);
      const challenge = expectOk(await call(socket, "auth:login", { username: "target", password: owner.password, keyProof: signKeyProof(owner.keys, "target") }));
      expect(expectOk(await completeLogin(socket, owner, challenge)).user.username).toBe("target");
      socket.disconnect();
    }
  });

  it("a proof is accepted once: the same proof sent again counts for nothing", async () => {
    const proof = signKeyProof(owner.keys, "target");
    const socket = await connectClient(hub, {}, "127.0.11.3");
    expectOk(await call(socket, "auth:login", { username: "target", password: owner.password, keyProof: proof }));
    expect(await call(socket, "auth:login", { username: "target", password: owner.password, keyProof: proof })).toMatchObject(refusedAsLimited);
    socket.disconnect();
  });

  it("a stale proof, a proof for another name and a proof by a key the account does not hold count for nothing", async () => {
    const other = newAccount("bystander");
    await register(hub, other);
    const socket = await connectClient(hub, {}, "127.0.11.4");
    const stale = signKeyProof(owner.keys, "target", new Date(Date.now() - 5 * 60_000));
    const forOtherName = signKeyProof(owner.keys, "bystander");
    const foreignKey = signKeyProof(other.keys, "target");
    for (const keyProof of [stale, forOtherName, foreignKey]) {
      expect(await call(socket, "auth:login", { username: "target", password: owner.password, keyProof })).toMatchObject(refusedAsLimited);
    }
    socket.disconnect();
  });

  it("a known key's own failures are limited per key, and do not stop the same key from proving the right password later", async () => {
    const socket = await connectClient(hub, {}, "127.0.11.5");
    for (let guess = 0; guess < 10; guess += 1) {
      const ack = await call(socket, "auth:login", { username: "target", password: `typo-${guess}`, keyProof: signKeyProof(owner.keys, "target") });
      expect(ack).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    }
    expect(await call(socket, "auth:login", { username: "target", password: owner.password, keyProof: signKeyProof(owner.keys, "target") })).toMatchObject(refusedAsLimited);
    socket.disconnect();
  });
});

describe("the terminal client", () => {
  it("logs in with its key while strangers have spent the account's limit", async () => {
    const home = await mkdtemp(join(tmpdir(), "pairgate-lockout-cli-"));
    const env = { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile };
    try {
      expect((await runCli(["keys", "generate", "--bits", "2048"], env)).code).toBe(0);
      const registered = await runCli(["register", "--username", "cliowner", "--email", "cliowner@example.test", "--password-stdin"], env, "violet-ember-canyon-42\n");
      expect(registered.code, registered.stderr).toBe(0);
      await lockOutByGuessing("cliowner", 13);
      const login = await runCli(["login", "--username", "cliowner", "--password-stdin"], env, "violet-ember-canyon-42\n");
      expect(login.code, login.stderr).toBe(0);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  }, 60_000);
});

describe("a known-key proof changes nothing else", () => {
  it("an account that is not locked out logs in with or without a proof, and the proof's username is read as the hub reads it", async () => {
    const carol = newAccount("carol");
    await register(hub, carol);
    const socket = await connectClient(hub, {}, "127.0.12.1");
    expectOk(await call(socket, "auth:login", { username: "carol", password: carol.password }));
    const challenge = expectOk(await call(socket, "auth:login", { username: "  Carol ", password: carol.password, keyProof: signKeyProof(carol.keys, "  Carol ") }));
    expectOk(await completeLogin(socket, carol, challenge));
    socket.disconnect();
  });

  it("a wrong password with a valid proof is still a wrong password", async () => {
    const dave = newAccount("dave");
    await register(hub, dave);
    const socket = await connectClient(hub, {}, "127.0.12.2");
    expect(await call(socket, "auth:login", { username: "dave", password: "not-the-password", keyProof: signKeyProof(dave.keys, "dave") })).toMatchObject({
      ok: false,
      error: { code: "invalid_credentials" },
    });
    socket.disconnect();
  });
});
