// A client written by someone else, in another language, from docs/PROTOCOL.md alone:
// scripts/events/foreign-client.py (Debian's python3-socketio) with a key made by openssl.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { STRONG_PASSWORD } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { requirePythonSocketIo, runPythonScript } from "./support/python-script.ts";

let hub: TestHub;
const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-foreign-"));
const file = (name: string) => path.join(work, name);

beforeAll(async () => {
  requirePythonSocketIo();
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file("key.pem")], { stdio: "pipe" });
  writeFileSync(file("password.txt"), `${STRONG_PASSWORD}\n`, { mode: 0o600 });
  // The hub's defaults, as a newcomer runs it: email addresses must be confirmed.
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" } });
});
afterAll(async () => {
  await hub?.destroy();
  rmSync(work, { recursive: true, force: true });
});

function scriptArgs(username: string, caFile: string): string[] {
  return [
    "--hub", hub.url, "--ca", caFile, "--username", username, "--email", `${username}@example.test`,
    "--password-file", file("password.txt"), "--key", file("key.pem"), "--outbox", path.join(hub.dataDir, "outbox"),
  ];
}

it("registers, logs in with an openssl key, uses its token and logs out, from Python", async () => {
  const username = "py-client";
  const { code, stdout, stderr } = await runPythonScript("foreign-client.py", scriptArgs(username, hub.caFile));
  expect(code, `exit code; stdout:\n${stdout}\nstderr:\n${stderr}\nthe hub's last log lines:\n${hub.logs.slice(-30).join("")}`).toBe(0);

  const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as { step: string; ok: boolean; [key: string]: unknown });
  expect(lines.map((line) => line.step)).toEqual([
    "connect:anonymous", "account:register", "account:verify-email", "auth:login", "auth:complete",
    "connect:token", "account:me", "session:list", "auth:logout", "session:revoked", "connect:old-token",
    "connect:cleanup", "account:delete",
  ]);
  for (const line of lines) expect(line, line.step).toMatchObject({ ok: true });
  expect(lines.find((line) => line.step === "connect:anonymous")).toMatchObject({ transport: "websocket" });
  expect(lines.find((line) => line.step === "account:me")).toMatchObject({ username });
  expect(lines.find((line) => line.step === "session:list")).toMatchObject({ sessions: 1, currentClientName: "foreign-client.py" });
  expect(lines.find((line) => line.step === "session:revoked")).toMatchObject({ reason: "logout" });
  expect(lines.find((line) => line.step === "connect:old-token")).toEqual({ step: "connect:old-token", ok: true, refused: true, code: "invalid_token" });
  expect(await hub.hub.context.db.user.count({ where: { username } }), "the script deletes the account it made").toBe(0);

  expect(stderr, "a run that went well leaves nothing on stderr").toBe("");
  expect(stdout + stderr).not.toContain(STRONG_PASSWORD);
  expect(stdout + stderr).not.toContain("[redacted]"); // nothing secret was even about to be printed
});

it("verifies the hub's certificate: a CA that did not issue it stops the script before it sends anything", async () => {
  execFileSync("openssl", ["req", "-x509", "-key", file("key.pem"), "-subj", "/CN=some other CA", "-days", "1", "-out", file("other-ca.pem")], { stdio: "pipe" });
  const { code, stdout } = await runPythonScript("foreign-client.py", scriptArgs("py-other-ca", file("other-ca.pem")));
  expect(code).toBe(1);
  const lines = stdout.trim().split("\n").map((line) => JSON.parse(line) as { step: string; ok: boolean; error?: string });
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ step: "failed", ok: false });
  expect(lines[0]?.error).toMatch(/CERTIFICATE_VERIFY_FAILED/);
});

it("never prints a remembered secret, even one that JSON escaping would change", () => {
  const password = 'pa"ss\\wörd-42';
  const program = [
    "import sys, pairgate_hub as hub",
    "hub.secret(sys.argv[1])",
    "hub.report('failed', False, error='refused ' + sys.argv[1], nested={'tries': [sys.argv[1]]})",
  ].join("\n");
  const printed = execFileSync("/usr/bin/python3", ["-c", program, password], { cwd: path.resolve(import.meta.dirname, "../scripts/events"), env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" } }).toString();
  expect(JSON.parse(printed)).toEqual({ step: "failed", ok: false, error: "refused [redacted]", nested: { tries: ["[redacted]"] } });
  expect(printed).not.toContain("ss");
});

it("says what it needs when the Python it runs on lacks the Socket.IO client", async () => {
  const { spawnSync } = await import("node:child_process");
  // -S leaves out site-packages, as a Python without Debian's packages would be.
  const run = spawnSync("/usr/bin/python3", ["-S", "foreign-client.py", "--help"], { cwd: path.resolve(import.meta.dirname, "../scripts/events"), encoding: "utf8" });
  expect(run.status).toBe(1);
  expect(run.stderr).toContain("This script needs python-socketio 5 with aiohttp");
  expect(run.stderr).toContain("apt install python3-socketio python3-aiohttp");
});

