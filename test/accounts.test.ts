import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, connectSharedClient, expectOk, generateTestKeys, STRONG_PASSWORD, type TestSocket } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let socket: TestSocket;
const keys = generateTestKeys();

beforeAll(async () => {
  hub = await startTestHub();
  socket = await connectSharedClient(hub);
});
afterAll(async () => {
  socket.disconnect();
  await hub.destroy();
});

const registration = (overrides: Record<string, unknown> = {}) => ({
  username: "alice",
  email: "alice@example.test",
  password: STRONG_PASSWORD,
  publicKey: keys.publicKeyPem,
  ...overrides,
});

describe("account:register", () => {
  it("creates an account and returns it without secrets", async () => {
    const data = expectOk(await call(socket, "account:register", registration()));
    expect(data.user).toMatchObject({ username: "alice", email: "alice@example.test" });
    expect(data.user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(data)).not.toContain(STRONG_PASSWORD);
  });

  it("refuses a username that differs only in case", async () => {
    const ack = await call(socket, "account:register", registration({ username: "ALICE", email: "other@example.test" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "username_taken" } });
  });

  it("makes no second account for an email that is already registered, whatever its case, and answers as if it had", async () => {
    const ack = await call(socket, "account:register", registration({ username: "alice2", email: "Alice@Example.test" }));
    expect(ack).toMatchObject({ ok: true, data: { user: { username: "alice2", email: "alice@example.test" } } });
    expect(await hub.hub.context.db.user.count({ where: { username: "alice2" } })).toBe(0);
  });

  it.each([
    ["too short", "ab"],
    ["too long", "a".repeat(33)],
    ["with a space", "al ice"],
    ["with a slash", "al/ice"],
    ["with non-ASCII letters", "alicé"],
  ])("refuses a username %s", async (_label, username) => {
    const ack = await call(socket, "account:register", registration({ username, email: "x@example.test" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_request", details: [{ path: "username" }] } });
  });

  it("refuses an invalid email", async () => {
    const ack = await call(socket, "account:register", registration({ username: "bob", email: "not-an-email" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_request", details: [{ path: "email" }] } });
  });

  it.each([
    ["shorter than 8 characters", "a1b2c3", /at least 8 characters/],
    ["a common password", "password123", /commonly used/],
    ["longer than bcrypt's 72 bytes", "ä".repeat(40), /at most 72 bytes/],
    ["built from the username", "zephyrine2024!", /personal/],
  ])("refuses a password %s, saying why", async (_label, password, reason) => {
    const ack = await call(socket, "account:register", registration({ username: "zephyrine", email: "zephyrine@example.test", password }));
    expect(ack.ok).toBe(false);
    if (ack.ok) return;
    expect(ack.error.code).toBe("weak_password");
    expect(ack.error.message).toMatch(reason);
    expect(ack.error.message).not.toContain(password);
  });

  it("refuses an RSA key shorter than 2048 bits", async () => {
    const weak = generateTestKeys(1024);
    const ack = await call(socket, "account:register", registration({ username: "bob", email: "bob@example.test", publicKey: weak.publicKeyPem }));
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_public_key" } });
    if (!ack.ok) expect(ack.error.message).toContain("1024 bits");
  });

  it("refuses a key that is not RSA", async () => {
    const { generateKeyPairSync } = await import("node:crypto");
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
    const ack = await call(socket, "account:register", registration({ username: "bob", email: "bob@example.test", publicKey: ec }));
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_public_key" } });
  });

  it.each([
    ["a private key", generateTestKeys().privateKey.export({ type: "pkcs8", format: "pem" }).toString()],
    ["a PKCS#1 public key", "-----BEGIN RSA PUBLIC KEY-----\nMIIBCgKCAQEA\n-----END RSA PUBLIC KEY-----\n"],
    ["garbage inside the PEM armour", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"],
  ])("refuses %s", async (_label, publicKey) => {
    const ack = await call(socket, "account:register", registration({ username: "bob", email: "bob@example.test", publicKey }));
    expect(ack).toMatchObject({ ok: false, error: { code: "invalid_public_key" } });
  });

  it("stores a bcrypt hash, never the password", async () => {
    const user = await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: "alice" } });
    expect(user.passwordHash).toMatch(/^\$2[aby]\$04\$/);
    expect(user.passwordHash).not.toContain(STRONG_PASSWORD);
  });

  it("writes the registration to the audit log", async () => {
    const events = await hub.hub.context.db.auditEvent.findMany({ where: { action: "account.registered" } });
    expect(events).toHaveLength(1);
    expect(events[0]?.address).toMatch(/127\.0\.0\.1/);
  });
});
