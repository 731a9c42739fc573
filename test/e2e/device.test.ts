import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUSH_HOLD_AFTER_NOT_ME_SECONDS, type DevicePushPayload, type PushPayload } from "#protocol";
import { call, connectClient, expectOk, logIn, newAccount, openPushedLogin, register, type TestSocket } from "../support/client.ts";
import { connectDevice, deviceCall, nextPush } from "../support/device.ts";
import { launchDevice, runDevice, type DeviceRun, type RunningDevice } from "../support/device-process.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

let hub: TestHub;
let owner: TestSocket;
let scratch: string;
let env: Record<string, string>;
let dataFile: string;
const alice = newAccount("alice");

function json(run: DeviceRun): { ok: boolean; data: any; error: any } {
  return JSON.parse(run.stdout);
}

async function savedAccounts(): Promise<any[]> {
  return JSON.parse(await readFile(dataFile, "utf8")).accounts;
}

/** A client starting a login as alice: password checked, key proven, devices asked, number shown. */
async function startLogin() {
  const socket = await connectClient(hub);
  const login = await openPushedLogin(socket, alice, { clientName: "e2e-browser" });
  return { socket, challengeId: login.challengeId, numberMatch: login.numberMatch!, signature: login.signature };
}

function stripAnsi(text: string): string {
  return text.replace(/\u001B\[[0-9;?]*[A-Za-z]/g, "");
}

beforeAll(async () => {
  hub = await startTestHub();
  await register(hub, alice);
  owner = (await logIn(hub, alice)).socket;
  scratch = await mkdtemp(join(tmpdir(), "pairgate-device-e2e-"));
  env = { PAIRGATE_HOME: join(scratch, "home"), PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile };
  dataFile = join(scratch, "home", "OTPData.json");
});

afterAll(async () => {
  owner?.disconnect();
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate-device against a real hub", () => {
  it("refuses a wrong binding code in plain words, and saves nothing", async () => {
    const run = await runDevice(["bind", "ZZZZ-ZZZZ"], env);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("binding code");
    await expect(stat(dataFile)).rejects.toThrow();
  });

  it("binds with a code the client created, saving the account 0600 and printing no secret", async () => {
    const bound = nextPush<PushPayload<"device:bound">>(owner, "device:bound");
    const { code } = expectOk(await call(owner, "device:create-binding-code", { name: "e2e-laptop" }));
    const typed = code.toLowerCase().replace("-", "");
    const run = await runDevice(["bind", typed, "--name", "e2e-laptop", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.account).toMatchObject({ username: "alice", hub: hub.url, deviceName: "e2e-laptop", counter: 0 });
    expect((await bound).device.name).toBe("e2e-laptop");

    const [saved] = await savedAccounts();
    expect(saved).toMatchObject({ username: "alice", hub: hub.url, ca: hub.caFile, digits: 6, algorithm: "SHA1", revokedAt: null });
    expect(run.stdout).not.toContain(saved.secret);
    expect(run.stdout).not.toContain(saved.deviceToken);
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect((await stat(join(scratch, "home"))).mode & 0o777).toBe(0o700);
  });

  it("lists the account without its secret or its token", async () => {
    const run = await runDevice(["list", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    const [saved] = await savedAccounts();
    expect(json(run).data.accounts).toEqual([expect.objectContaining({ id: saved.id, username: "alice", label: expect.stringContaining("alice@") })]);
    expect(run.stdout).not.toContain(saved.secret);
    expect(run.stdout).not.toContain(saved.deviceToken);
  });

  it("prints a code that the hub accepts as the otp of auth:complete, and saves the next counter", async () => {
    const login = await startLogin();
    const run = await runDevice(["code"], env);
    expect(run.code, run.stderr).toBe(0);
    const otp = run.stdout.trim();
    expect(otp).toMatch(/^\d{6}$/);
    const session = expectOk(await call(login.socket, "auth:complete", { challengeId: login.challengeId, signature: login.signature, otp }));
    expect(session.user.username).toBe("alice");
    expect((await savedAccounts())[0].counter).toBe(1);
    login.socket.disconnect();
  });

  it("watch prints the login request as a JSON line, and approve ID --number N approves it", async () => {
    const watch = launchDevice(["watch"], env);
    await watch.waitForOutput(/: connected/);
    const login = await startLogin();
    const [line] = await watch.waitForOutput(new RegExp(`\\{"event":"challenge:new".*${login.challengeId}.*\\}\\n`));
    const pushed = JSON.parse(line) as { account: { username: string }; data: DevicePushPayload<"challenge:new"> };
    expect(pushed.account.username).toBe("alice");
    expect(pushed.data).toMatchObject({ challengeId: login.challengeId, username: "alice", client: { name: "e2e-browser" }, newKey: false });
    expect(line).not.toContain(`"${login.numberMatch}"`);

    const approved = nextPush<PushPayload<"challenge:approved">>(login.socket, "challenge:approved");
    const run = await runDevice(["approve", login.challengeId, "--number", login.numberMatch], env);
    expect(run.code, run.stderr).toBe(0);
    expect(await approved).toEqual({ challengeId: login.challengeId });
    expectOk(await call(login.socket, "auth:complete", { challengeId: login.challengeId, signature: login.signature }));
    await watch.waitForOutput(new RegExp(`"event":"challenge:closed".*"challengeId":"${login.challengeId}","outcome":"approved"`));

    watch.signal("SIGTERM");
    expect((await watch.done).code).toBe(0);
    login.socket.disconnect();
  });

  it("watch prints, once, the login requests already waiting when it connects", async () => {
    const login = await startLogin();
    const watch = launchDevice(["watch"], env);
    await watch.waitForOutput(new RegExp(`"event":"challenge:new".*${login.challengeId}`));
    expect((await runDevice(["deny", login.challengeId], env)).code).toBe(0);
    await watch.waitForOutput(new RegExp(`"event":"challenge:closed".*${login.challengeId}","outcome":"denied"`));
    watch.signal("SIGTERM");
    const { stdout } = await watch.done;
    expect(stdout.split("\n").filter((line) => line.includes(`"challenge:new"`) && line.includes(login.challengeId))).toHaveLength(1);
    login.socket.disconnect();
  });

  it("refuses a number that is not two digits, without spending a code", async () => {
    const login = await startLogin();
    const [saved] = await savedAccounts();
    const run = await runDevice(["approve", login.challengeId, "--number", "7"], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--number must be the two digits");
    expect((await savedAccounts())[0].counter).toBe(saved.counter);
    expect((await runDevice(["deny", login.challengeId], env)).code).toBe(0);
    login.socket.disconnect();
  });

  it("deny ID --not-me reports the login, and the person's signed-in client is told", async () => {
    const login = await startLogin();
    const told = nextPush<PushPayload<"login:not-me">>(owner, "login:not-me");
    const run = await runDevice(["deny", login.challengeId, "--not-me", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data).toEqual({ challengeId: login.challengeId, denied: true, pushesHeldUntil: expect.any(String) });
    expect(await told).toMatchObject({ challengeId: login.challengeId, client: { name: "e2e-browser" } });
    // The hold would keep the next tests' logins off the device: let it pass.
    hub.clock.advance(PUSH_HOLD_AFTER_NOT_ME_SECONDS * 1000);
    login.socket.disconnect();
  });

  it("deny ID refuses the login and the client is told at once", async () => {
    const login = await startLogin();
    const denied = nextPush<PushPayload<"challenge:denied">>(login.socket, "challenge:denied");
    const run = await runDevice(["deny", login.challengeId, "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data).toEqual({ challengeId: login.challengeId, denied: true });
    expect(await denied).toEqual({ challengeId: login.challengeId, reason: "denied" });
    login.socket.disconnect();
  });

  it("the interactive app shows a login request live, with machine and address, and approves it with the number typed", async () => {
    const app = launchDevice([], env, { terminal: true, cwd: scratch });
    await app.waitForOutput(/● connected/);
    const login = await startLogin();
    const approved = nextPush<PushPayload<"challenge:approved">>(login.socket, "challenge:approved");
    await app.waitForOutput(/Type the number shown on the logging-in screen:/);
    const screen = stripAnsi(app.output());
    expect(screen).toContain('Machine: "e2e-browser"');
    expect(screen).toMatch(/Address: \S+/);
    const [first, second] = login.numberMatch.split("");
    // One key at a time, each seen on screen: a digit pressed twice would type another number.
    app.write(first!);
    await app.waitForOutput(new RegExp(`${first} _`));
    app.write(second!);
    await app.waitForOutput(new RegExp(`${first} ${second} `));
    app.write("a");
    expect(await approved).toEqual({ challengeId: login.challengeId });
    expectOk(await call(login.socket, "auth:complete", { challengeId: login.challengeId, signature: login.signature }));
    app.write("q");
    expect((await app.done).code).toBe(0);
    login.socket.disconnect();
  });

  it("reports a damaged data file with its path and keeps it byte for byte", async () => {
    const damagedFile = join(scratch, "damaged.json");
    await writeFile(damagedFile, '{"version":1,"accounts":[', { mode: 0o600 });
    const run = await runDevice(["code", "--data", damagedFile], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(damagedFile);
    expect(run.stderr).toContain("not valid JSON");
    expect(await readFile(damagedFile, "utf8")).toBe('{"version":1,"accounts":[');
  });

  it("when the client unpairs the device, watch prints device:revoked and the account is flagged, not deleted", async () => {
    const watch = launchDevice(["watch"], env);
    await watch.waitForOutput(/: connected/);
    const [saved] = await savedAccounts();
    expectOk(await call(owner, "device:revoke", { deviceId: saved.id }));
    await watch.waitForOutput(/"event":"device:revoked"/);
    expect((await watch.done).code).toBe(3);
    await expect.poll(async () => (await savedAccounts())[0].revokedAt).not.toBeNull();

    const code = await runDevice(["code"], env);
    expect(code.code).toBe(3);
    expect(code.stderr).toContain("unpaired");
  });
});

describe("pairgate-device watch across a hub restart", () => {
  it("reconnects with back-off and hears login requests again", async () => {
    const root = await mkdtemp(join(tmpdir(), "pairgate-device-restart-"));
    const bob = newAccount("bob");
    let first: TestHub | undefined = await startTestHub({ root });
    let second: TestHub | undefined;
    const home = { ...env, PAIRGATE_HOME: join(root, "device-home"), PAIRGATE_HUB: first.url, PAIRGATE_CA: first.caFile };
    try {
      await register(first, bob);
      const client = (await logIn(first, bob)).socket;
      const { code } = expectOk(await call(client, "device:create-binding-code", {}));
      client.disconnect();
      expect((await runDevice(["bind", code], home)).code).toBe(0);
      const watch = launchDevice(["watch"], home);
      await watch.waitForOutput(/: connected/);

      await first.stop();
      first = undefined;
      await watch.waitForOutput(/reconnecting in \d+s/);
      const port = new URL(home.PAIRGATE_HUB).port;
      second = await startTestHub({ root, env: { PAIRGATE_PORT: port } });
      // Live push or the list sent after reconnecting, whichever comes first: either must print it once.
      const socket = await connectClient(second);
      const login = expectOk(await call(socket, "auth:login", { username: "bob", password: bob.password }));
      await watch.waitForOutput(new RegExp(`"event":"challenge:new".*${login.challengeId}`), 40_000);
      watch.signal("SIGTERM");
      expect((await watch.done).code).toBe(0);
      socket.disconnect();
    } finally {
      await first?.stop();
      await second?.stop();
      await rm(root, { recursive: true, force: true });
    }
  }, 60_000);
});

/**
 * Ink listens for keys from an effect that runs just after the screen is drawn: a key sent the
 * moment a new request appears can arrive before that, as no person's would. Picking the same
 * number again changes nothing, so the key is sent again until the pick shows.
 */
async function pressUntilShown(app: RunningDevice, key: string, shown: RegExp): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    app.write(key);
    try {
      await app.waitForOutput(shown, 2_000);
      return;
    } catch (error) {
      if (attempt === 10) throw error;
    }
  }
}
