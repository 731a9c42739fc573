// The example event scripts in scripts/events/, each run as a real program against a real hub.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { encodeBase32Secret } from "#otp";
import { call, connectClient, expectOk, logIn, newAccount, openPushedLogin, register, signChallenge, type TestAccount, type TestSocket } from "./support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, type TestDevice } from "./support/device.ts";
import { jsonLines, launchScript, runScript, type ScriptRun } from "./support/event-script.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-event-scripts-"));
const file = (name: string) => path.join(work, name);

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub?.destroy();
  rmSync(work, { recursive: true, force: true });
});


interface PairedAccount {
  account: TestAccount;
  keyFile: string;
  owner: TestSocket;
  ownerToken: string;
  device: TestDevice;
}

/** A registered account, logged in once (before it had a device), with one paired device. */
async function pairedAccount(username: string): Promise<PairedAccount> {
  const account = newAccount(username);
  await register(hub, account);
  const { socket: owner, token: ownerToken } = await logIn(hub, account);
  const device = await pairDevice(hub, owner);
  const keyFile = file(`${username}.key.pem`);
  writeFileSync(keyFile, account.keys.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
  return { account, keyFile, owner, ownerToken, device };
}

/** A six-digit code that is none of the device's next 101 codes, so the hub cannot accept it. */
function codeOutsideWindow(device: TestDevice): string {
  const near = new Set(Array.from({ length: 101 }, (_, offset) => device.codeAt(device.counter + offset)));
  for (let n = 0; ; n += 1) {
    const code = String(n).padStart(6, "0");
    if (!near.has(code)) return code;
  }
}

const fileMode = (name: string) => statSync(name).mode & 0o777;
const hubArgs = () => ["--hub", hub.url, "--ca", hub.caFile];

describe("login-with-otp.ts", () => {
  it("logs in with the password, the key and the device's next code, and keeps the token in a 0600 file", async () => {
    const { account, keyFile, device } = await pairedAccount("script-login");
    const tokenFile = file("script-login.token");
    const run = await runScript("login-with-otp", ["--username", account.username, "--key", keyFile, "--otp", device.nextCode(), "--token-file", tokenFile], {
      input: `${account.password}\n`,
      env: { PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile },
    });
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ username: account.username, sessionExpiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }]);
    expect(fileMode(tokenFile)).toBe(0o600);

    const token = readFileSync(tokenFile, "utf8").trim();
    const session = await connectClient(hub, { token });
    const me = expectOk(await call(session, "account:me", {}));
    session.disconnect();
    expect(me.user.username).toBe(account.username);
    expect(run.stdout + run.stderr).not.toContain(token);
    expect(run.stdout + run.stderr).not.toContain(account.password);
  });

  it("refuses a wrong code with exit 1 and a message naming invalid_otp, printing no secret", async () => {
    const { account, keyFile, device } = await pairedAccount("script-login-bad-otp");
    const tokenFile = file("script-login-bad-otp.token");
    const run = await runScript("login-with-otp", [...hubArgs(), "--username", account.username, "--key", keyFile, "--otp", codeOutsideWindow(device), "--token-file", tokenFile], {
      env: { PAIRGATE_PASSWORD: account.password },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^login-with-otp: auth:complete refused: invalid_otp: /m);
    expect(run.stderr).not.toContain(account.password);
    expect(existsSync(tokenFile)).toBe(false);
  });
});

describe("watch-account.ts", () => {
  it("prints the notices of pairing another device, then session:revoked when its session is revoked", async () => {
    const { account, owner, ownerToken, device } = await pairedAccount("script-watch");
    const tokenFile = file("script-watch.token");
    writeFileSync(tokenFile, `${ownerToken}\n`, { mode: 0o600 });
    const watcher = launchScript("watch-account", [...hubArgs(), "--token-file", tokenFile, "--timeout", "20"], { input: "" });
    await watcher.stderrMatch(/watching/);

    // The binding code is made by the watched session, so that session hears device:bound too.
    const tablet = await pairDevice(hub, owner, "tablet");
    const other = await connectClient(hub);
    const challenge = expectOk(await call(other, "auth:login", { username: account.username, password: account.password }));
    const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
    expectOk(await call(other, "auth:complete", { challengeId: challenge.challengeId, signature, otp: device.nextCode() }));
    const { session } = expectOk(await call(owner, "account:me", {}));
    expectOk(await call(other, "session:revoke", { sessionId: session.id }));
    other.disconnect();

    const run = await watcher.done;
    expect(run.code, run.stderr).toBe(0);
    const lines = jsonLines(run.stdout);
    expect(lines).toContainEqual({ event: "device:bound", payload: { device: { id: tablet.deviceId, name: "tablet" } } });
    expect(lines).toContainEqual({ event: "security:notice", payload: { kind: "device_added", message: expect.stringContaining("tablet"), at: expect.any(String) } });
    expect(lines.at(-1)).toEqual({ event: "session:revoked", payload: { sessionId: session.id, reason: "revoked" } });
    expect(run.stderr).toMatch(/the session has ended/);
    expect(run.stdout + run.stderr).not.toContain(ownerToken);
  });

  it("stops after --count events with exit 0, the session still open", async () => {
    const { owner, ownerToken } = await pairedAccount("script-watch-count");
    const watcher = launchScript("watch-account", [...hubArgs(), "--count", "2", "--timeout", "20"], { input: "", env: { PAIRGATE_TOKEN: ownerToken } });
    await watcher.stderrMatch(/watching/);
    await pairDevice(hub, owner, "laptop");

    const run = await watcher.done;
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout).map((line) => line.event).sort()).toEqual(["device:bound", "security:notice"]);
    expect(owner.connected).toBe(true);
    owner.disconnect();
  });

  it("exits 1 naming invalid_token when the hub refuses the token, and does not print it", async () => {
    const badToken = "not-a-session-token-at-all-0123456789";
    const run = await runScript("watch-account", [...hubArgs(), "--timeout", "20"], { env: { PAIRGATE_TOKEN: badToken } });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/cannot connect: invalid_token: /);
    expect(run.stderr).not.toContain(badToken);
  });
});

describe("approve-as-device.ts", () => {
  function writeDeviceFile(name: string, device: TestDevice): string {
    const deviceFile = file(name);
    const content = { deviceId: device.deviceId, deviceToken: device.deviceToken, secret: encodeBase32Secret(device.secret), counter: device.counter };
    writeFileSync(deviceFile, JSON.stringify(content), { mode: 0o600 });
    return deviceFile;
  }

  function expectNoDeviceSecrets(run: ScriptRun, device: TestDevice, usedCounter: number): void {
    const output = run.stdout + run.stderr;
    expect(output).not.toContain(encodeBase32Secret(device.secret));
    expect(output).not.toContain(device.deviceToken);
    expect(output).not.toContain(device.codeAt(usedCounter));
  }

  it("approves a waiting login with the number the client shows, after saving the advanced counter", async () => {
    const { account, device } = await pairedAccount("script-approve");
    const deviceFile = writeDeviceFile("script-approve.device.json", device);
    const client = await connectClient(hub);
    const login = await openPushedLogin(client, account);
    const approved = nextPush(client, "challenge:approved");

    const run = await runScript("approve-as-device", [...hubArgs(), "--device", deviceFile, "--number", login.numberMatch!]);
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ approved: login.challengeId }]);
    await expect(approved).resolves.toEqual({ challengeId: login.challengeId });
    expect(JSON.parse(readFileSync(deviceFile, "utf8"))).toMatchObject({ deviceId: device.deviceId, counter: device.counter + 1 });
    expect(fileMode(deviceFile)).toBe(0o600);
    expectNoDeviceSecrets(run, device, device.counter);

    // The approval stands in for the code: the client completes with its signature alone.
    const signature = signChallenge(account.keys.privateKey, login.challengeId, login.nonce);
    expectOk(await call(client, "auth:complete", { challengeId: login.challengeId, signature }));
    client.disconnect();
  });

  it("waits for the next login and asks for the number on stdin, with the credentials given as separate files", async () => {
    const { account, device } = await pairedAccount("script-approve-wait");
    writeFileSync(file("wait.token"), device.deviceToken, { mode: 0o600 });
    writeFileSync(file("wait.secret"), encodeBase32Secret(device.secret), { mode: 0o600 });
    const args = ["--device-id", device.deviceId, "--device-token-file", file("wait.token"), "--secret-file", file("wait.secret"), "--counter", String(device.counter)];
    const approver = launchScript("approve-as-device", [...hubArgs(), ...args, "--wait", "20"]);
    await approver.stderrMatch(/waiting up to 20 s/);

    const client = await connectClient(hub);
    const approved = nextPush(client, "challenge:approved");
    const login = await openPushedLogin(client, account);
    await approver.stderrMatch(/Type the number the logging-in screen shows:/);
    approver.type(`${login.numberMatch}\n`);

    const run = await approver.done;
    expect(run.code, run.stderr).toBe(0);
    expect(jsonLines(run.stdout)).toEqual([{ approved: login.challengeId }]);
    expect(run.stderr).toContain(`pass --counter ${device.counter + 1} next time`);
    await expect(approved).resolves.toEqual({ challengeId: login.challengeId });
    expectNoDeviceSecrets(run, device, device.counter);
    client.disconnect();
  });

  it("a number that is not the client's denies the login: exit 1 naming challenge_denied", async () => {
    const { account, device } = await pairedAccount("script-approve-wrong");
    const deviceFile = writeDeviceFile("script-approve-wrong.device.json", device);
    const client = await connectClient(hub);
    const login = await openPushedLogin(client, account);
    const denied = nextPush(client, "challenge:denied");
    const wrongNumber = login.numberMatch === "10" ? "11" : "10";

    const run = await runScript("approve-as-device", [...hubArgs(), "--device", deviceFile, "--number", wrongNumber]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^approve-as-device: challenge:approve refused: challenge_denied: /m);
    await expect(denied).resolves.toEqual({ challengeId: login.challengeId, reason: "wrong_number" });
    expectNoDeviceSecrets(run, device, device.counter);
    client.disconnect();
  });
});
