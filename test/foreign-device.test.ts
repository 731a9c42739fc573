// An authenticator written by someone else, in another language, from the docs alone:
// scripts/events/foreign-device.py (Debian's python3-socketio) pairs a /device socket, then logs
// in with HOTP codes computed by oathtool, typed into the client and approved on the device.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { STRONG_PASSWORD } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { requirePythonSocketIo, runPythonScript } from "./support/python-script.ts";

let hub: TestHub;
const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-foreign-device-"));
const file = (name: string) => path.join(work, name);

beforeAll(async () => {
  requirePythonSocketIo({ oathtool: true });
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file("key.pem")], { stdio: "pipe" });
  writeFileSync(file("password.txt"), `${STRONG_PASSWORD}\n`, { mode: 0o600 });
  // The hub's defaults, as a newcomer runs it: email addresses must be confirmed.
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" } });
});
afterAll(async () => {
  await hub?.destroy();
  rmSync(work, { recursive: true, force: true });
});

it("pairs a device and logs in with oathtool codes, typed and approved on the device, from Python", { timeout: 120_000 }, async () => {
  const username = "py-device";
  const { code, stdout, stderr } = await runPythonScript("foreign-device.py", [
    "--hub", hub.url, "--ca", hub.caFile, "--username", username, "--email", `${username}@example.test`,
    "--password-file", file("password.txt"), "--key", file("key.pem"), "--outbox", path.join(hub.dataDir, "outbox"),
  ]);
  expect(code, `exit code; stdout:\n${stdout}\nstderr:\n${stderr}\nthe hub's last log lines:\n${hub.logs.slice(-30).join("")}`).toBe(0);

  type Line = { step: string; ok: boolean; [key: string]: unknown };
  const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as Line);
  const step = (name: string) => lines.find((line) => line.step === name);
  expect(lines.map((line) => line.step)).toEqual([
    "connect:client", "account:register", "account:verify-email", "auth:login", "auth:complete",
    "device:create-binding-code", "connect:device-anonymous", "device:bind", "device:bound",
    "connect:client-otp", "auth:login:otp", "auth:complete:otp",
    "connect:client-replay", "auth:login:replay", "auth:complete:replay",
    "connect:device", "connect:client-approval", "auth:login:approval", "auth:prove-key",
    "challenge:new", "challenge:approve", "challenge:approved", "auth:complete:approval",
    "account:delete",
  ]);
  for (const line of lines) expect(line, line.step).toMatchObject({ ok: true });

  expect(step("connect:device")).toMatchObject({ namespace: "/device", transport: "websocket" });
  expect(step("auth:login")).toMatchObject({ factors: ["signature"] });
  expect(step("device:bind")).toMatchObject({ username, digits: 6, algorithm: "SHA1", secretBits: 160 });
  expect(step("device:bound")).toMatchObject({ name: "py-authenticator" });
  for (const name of ["auth:login:otp", "auth:login:replay", "auth:login:approval"]) {
    expect(step(name), name).toMatchObject({ factors: ["signature", "otp"] });
  }
  for (const name of ["auth:complete", "auth:complete:otp", "auth:complete:approval"]) {
    expect(step(name), name).toMatchObject({ username, token: true });
  }
  expect(step("auth:complete:replay")).toMatchObject({ refused: true, code: "invalid_otp" });
  expect(step("auth:prove-key")).toMatchObject({ devicesAsked: 1, newKey: false });
  expect(step("challenge:new")).toMatchObject({ username, newKey: false, clientName: "foreign-device.py" });
  expect(await hub.hub.context.db.user.count({ where: { username } }), "the script deletes the account it made").toBe(0);
  expect(await hub.hub.context.db.device.count(), "and its device with it").toBe(0);

  // No secret in the output: not the password, not a base32 or hex secret, not a 6-digit code.
  const output = stdout + stderr;
  expect(output).not.toContain(STRONG_PASSWORD);
  expect(output).not.toContain("[redacted]"); // nothing secret was even about to be printed
  expect(output).not.toMatch(/\b[A-Z2-7]{32}\b/);
  expect(output).not.toMatch(/\b[0-9a-f]{40}\b/i);
  expect(output).not.toMatch(/(?<![\d-])\d{6}(?!\d)/);
});
