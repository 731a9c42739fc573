// Every example in scripts/events, in turn, against ONE hub with the default settings a newcomer
// gets (email addresses must be confirmed; mail goes to the outbox folder), which is left with no
// account afterwards.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { encodeBase32Secret } from "#otp";
import { readSettings } from "../server/config.ts";
import { call, connectClient, expectOk, logIn, newAccount, openPushedLogin, STRONG_PASSWORD } from "./support/client.ts";
import { pairDevice } from "./support/device.ts";
import { jsonLines, launchScript, runScript } from "./support/event-script.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { codeIn, waitForOutboxMail } from "./support/mail.ts";
import { requirePythonSocketIo, runPythonScript } from "./support/python-script.ts";

const EVENT_SCRIPTS = path.resolve(import.meta.dirname, "../scripts/events");
// What the Python examples import; not an example of its own.
const SHARED_MODULES = new Set(["pairgate_hub.py"]);

let hub: TestHub;
const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-default-hub-"));
const file = (name: string) => path.join(work, name);
const ran = new Set<string>();

beforeAll(async () => {
  requirePythonSocketIo({ oathtool: true });
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", file("py-key.pem")], { stdio: "pipe" });
  writeFileSync(file("password.txt"), `${STRONG_PASSWORD}\n`, { mode: 0o600 });
  // startTestHub turns email verification off for most tests; this hub keeps the default.
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" } });
});
afterAll(async () => {
  await hub?.destroy();
  rmSync(work, { recursive: true, force: true });
});

const db = () => hub.hub.context.db;
const hubArgs = () => ["--hub", hub.url, "--ca", hub.caFile];
const outbox = () => path.join(hub.dataDir, "outbox");

it("the hub has the default settings for email: verification on, mail to the outbox", () => {
  const defaults = readSettings({});
  expect(defaults).toMatchObject({ requireEmailVerification: true, smtpUrl: undefined });
  expect(hub.settings).toMatchObject({ requireEmailVerification: defaults.requireEmailVerification, smtpUrl: defaults.smtpUrl });
});

for (const script of ["foreign-client.py", "foreign-device.py"]) {
  it(`${script} runs and deletes the account it made`, { timeout: 120_000 }, async () => {
    const username = `default-${script.replace(/\.py$/, "")}`;
    const run = await runPythonScript(script, [
      ...hubArgs(), "--username", username, "--email", `${username}@example.test`,
      "--password-file", file("password.txt"), "--key", file("py-key.pem"), "--outbox", outbox(),
    ]);
    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(0);
    expect(jsonLines(run.stdout).at(-1)).toEqual({ step: "account:delete", ok: true, username });
    expect(await db().user.count()).toBe(0);
    ran.add(script);
  });
}

it("the TypeScript examples run on an account made as a person would (email confirmed, a device paired), which is then deleted", { timeout: 120_000 }, async () => {
  // What the TypeScript examples need and do not make themselves (their --help says so).
  const account = newAccount("default-ts");
  const anonymous = await connectClient(hub);
  const registered = expectOk(await call(anonymous, "account:register", { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem }));
  expect(registered.emailVerificationRequired).toBe(true);
  const code = codeIn(await waitForOutboxMail(hub.dataDir, account.email, /Confirm/));
  expectOk(await call(anonymous, "account:verify-email", { username: account.username, code }));
  anonymous.disconnect();
  const { socket: owner } = await logIn(hub, account);
  const device = await pairDevice(hub, owner);
  const keyFile = file("ts-key.pem");
  writeFileSync(keyFile, account.keys.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });

  const tokenFile = file("ts.token");
  const login = await runScript("login-with-otp", [...hubArgs(), "--username", account.username, "--key", keyFile, "--otp", device.nextCode(), "--token-file", tokenFile], {
    input: `${account.password}\n`,
  });
  expect(login.code, login.stderr).toBe(0);
  ran.add("login-with-otp.ts");

  const watcher = launchScript("watch-account", [...hubArgs(), "--token-file", tokenFile, "--count", "1", "--timeout", "20"], { input: "" });
  await watcher.stderrMatch(/watching/);
  await pairDevice(hub, owner, "tablet");
  const watched = await watcher.done;
  expect(watched.code, watched.stderr).toBe(0);
  expect(jsonLines(watched.stdout)).toEqual([{ event: "security:notice", payload: expect.objectContaining({ kind: "device_added" }) }]);
  ran.add("watch-account.ts");

  const deviceFile = file("ts.device.json");
  writeFileSync(deviceFile, JSON.stringify({ deviceId: device.deviceId, deviceToken: device.deviceToken, secret: encodeBase32Secret(device.secret), counter: device.counter }), { mode: 0o600 });
  const client = await connectClient(hub);
  const waiting = await openPushedLogin(client, account);
  const approve = await runScript("approve-as-device", [...hubArgs(), "--device", deviceFile, "--number", waiting.numberMatch!]);
  expect(approve.code, approve.stderr).toBe(0);
  expect(jsonLines(approve.stdout)).toEqual([{ approved: waiting.challengeId }]);
  client.disconnect();
  ran.add("approve-as-device.ts");

  expectOk(await call(owner, "account:delete", { password: account.password }));
  owner.disconnect();
});

it("ran every example in scripts/events, and the hub has no account, device or session left", async () => {
  const examples = readdirSync(EVENT_SCRIPTS).filter((name) => /\.(ts|py)$/.test(name) && !SHARED_MODULES.has(name));
  expect([...ran].sort()).toEqual(examples.sort());
  expect(await db().user.count()).toBe(0);
  expect(await db().device.count()).toBe(0);
  expect(await db().session.count()).toBe(0);
});
