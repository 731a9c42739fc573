import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase } from "../server/db/client.ts";
import { secretAssociatedData } from "../server/devices/devices.ts";
import { openSecret } from "../server/devices/secret-box.ts";
import { deriveKey, HUB_KEY_FILE_NAME } from "../server/secret-key.ts";
import { call, expectOk, logIn, logInWithProof, newAccount, register } from "./support/client.ts";
import { pairDevice, type TestDevice } from "./support/device.ts";
import { commandEnv, runHubCommand, warmPasswordWorkers } from "./support/hub-command.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-rotation-"));
const alice = newAccount("alice");
const bob = newAccount("bob");
let hub: TestHub;
let aliceRecoveryCodes: string[] = [];
const devices: { owner: typeof alice; device: TestDevice }[] = [];

// Stopping, rotating and starting a hub again: minutes on a machine shared by many test runs.
const HUB_RESTART_TIMEOUT_MS = 300_000;

const keyFile = () => path.join(hub.dataDir, HUB_KEY_FILE_NAME);
const keyIn = (file: string) => Buffer.from(readFileSync(file, "utf8").trim(), "base64");

beforeAll(async () => {
  hub = await startTestHub({ root });
  await warmPasswordWorkers(hub);
  for (const owner of [alice, bob]) await register(hub, owner);
  const { socket: aliceSocket } = await logIn(hub, alice);
  devices.push({ owner: alice, device: await pairDevice(hub, aliceSocket, "phone") }, { owner: alice, device: await pairDevice(hub, aliceSocket, "laptop") });
  aliceRecoveryCodes = expectOk(await call(aliceSocket, "recovery:generate", {})).codes;
  aliceSocket.disconnect();
  const { socket: bobSocket } = await logIn(hub, bob);
  devices.push({ owner: bob, device: await pairDevice(hub, bobSocket, "phone") });
  bobSocket.disconnect();
  // Two accounts, three pairings and recovery codes: minutes on a machine shared by many test runs.
}, 240_000);
afterAll(() => hub.destroy());

describe("pairgate-hub rotate-secret-key", () => {
  it("refuses while a hub runs on the database", async () => {
    const before = readFileSync(keyFile(), "utf8");
    const run = await runHubCommand(["rotate-secret-key"], commandEnv(hub), root);
    expect(run.code).toBe(75);
    expect(run.stderr).toContain("a hub is running on");
    expect(readFileSync(keyFile(), "utf8")).toBe(before);
  });

  it("re-seals every device secret under a new key, after which the old key opens none, and keeps the unused recovery codes", { timeout: HUB_RESTART_TIMEOUT_MS }, async () => {
    await hub.stop();
    const oldKey = keyIn(keyFile());
    const run = await runHubCommand(["rotate-secret-key"], commandEnv(hub), root);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Re-sealed 3 device secret(s) under a new secret key in one transaction.");
    expect(run.stdout).toContain("10 unused recovery code(s) still work");

    const newKey = keyIn(keyFile());
    expect(newKey.equals(oldKey)).toBe(false);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    // The old key's backup file lived only until the commit.
    expect(readdirSync(hub.dataDir).filter((name) => name.startsWith(HUB_KEY_FILE_NAME))).toEqual([HUB_KEY_FILE_NAME]);

    const db = createDatabase(hub.settings.databaseUrl);
    try {
      const rows = await db.device.findMany({ select: { id: true, sealedSecret: true } });
      expect(rows).toHaveLength(3);
      for (const row of rows) {
        expect(() => openSecret(deriveKey(oldKey, "hotp-secrets"), row.sealedSecret, secretAssociatedData(row.id))).toThrow(/does not open/);
        const secret = openSecret(deriveKey(newKey, "hotp-secrets"), row.sealedSecret, secretAssociatedData(row.id));
        const paired = devices.find(({ device }) => device.deviceId === row.id)!;
        expect(Buffer.from(secret).equals(Buffer.from(paired.device.secret))).toBe(true);
      }
    } finally {
      await db.close();
    }
  });

  it("keeps every device's codes working: each logs in by code on the restarted hub", { timeout: HUB_RESTART_TIMEOUT_MS }, async () => {
    hub = await startTestHub({ root });
    await warmPasswordWorkers(hub);
    for (const { owner, device } of devices) {
      const ack = await logInWithProof(hub, owner, { otp: device.nextCode() });
      expect(ack.ok).toBe(true);
    }
    expect(existsSync(path.join(hub.dataDir, `${HUB_KEY_FILE_NAME}.new`))).toBe(false);
  });

  it("accepts a recovery code made before the rotation, once", { timeout: HUB_RESTART_TIMEOUT_MS }, async () => {
    const code = aliceRecoveryCodes[0]!;
    expect((await logInWithProof(hub, alice, { recoveryCode: code })).ok).toBe(true);
    expect(await logInWithProof(hub, alice, { recoveryCode: code })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
  });

  it("keeps the remaining codes through a second rotation, and discards them when told to forget them", { timeout: HUB_RESTART_TIMEOUT_MS }, async () => {
    await hub.stop();
    const second = await runHubCommand(["rotate-secret-key"], commandEnv(hub), root);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("9 unused recovery code(s) still work");
    hub = await startTestHub({ root });
    await warmPasswordWorkers(hub);
    expect((await logInWithProof(hub, alice, { recoveryCode: aliceRecoveryCodes[1]! })).ok).toBe(true);

    await hub.stop();
    const forgetting = await runHubCommand(["rotate-secret-key", "--forget-recovery-codes"], commandEnv(hub), root);
    expect(forgetting.code).toBe(0);
    expect(forgetting.stdout).toContain("8 recovery");
    hub = await startTestHub({ root });
    await warmPasswordWorkers(hub);
    expect(await logInWithProof(hub, alice, { recoveryCode: aliceRecoveryCodes[2]! })).toMatchObject({ ok: false, error: { code: "invalid_code" } });
    const db = createDatabase(hub.settings.databaseUrl);
    try {
      expect(await db.retiredKey.count()).toBe(0);
    } finally {
      await db.close();
    }
  });
});
