import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevicePushPayload } from "#protocol";
import { type CliRun, launchCli, runCli } from "../support/cli-process.ts";
import { call, connectClient, expectOk } from "../support/client.ts";
import { connectDevice, deviceCall, nextPush, type TestDeviceSocket } from "../support/device.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

const PASSWORD = "violet-ember-canyon-42";
const CODE_LINE = /^\s+([0-9A-Z]{4}-[0-9A-Z]{4})$/m;

let hub: TestHub;
let home: string;

function cliEnv(): Record<string, string> {
  return { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile };
}

function pairgate(args: string[], input = ""): Promise<CliRun> {
  return runCli(args, cliEnv(), input);
}

function login(extraArgs: string[] = []): Promise<CliRun> {
  return pairgate(["login", "--username", "dana", "--password-stdin", ...extraArgs], `${PASSWORD}\n`);
}

function json(run: CliRun): { ok: boolean; data: any; error: any } {
  return JSON.parse(run.stdout);
}

async function savedToken(): Promise<string> {
  return JSON.parse(await readFile(join(home, "session.json"), "utf8")).token;
}

/** Binds an anonymous authenticator socket with a code the CLI printed, as `pairgate-device` would. */
async function bindWithCode(code: string, name: string): Promise<{ deviceId: string; deviceToken: string }> {
  const anonymous = await connectDevice(hub);
  try {
    return expectOk(await deviceCall(anonymous, "device:bind", { code, name }));
  } finally {
    anonymous.disconnect();
  }
}

beforeAll(async () => {
  hub = await startTestHub();
  home = await mkdtemp(join(tmpdir(), "pairgate-cli-devices-"));
  expect((await pairgate(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  const registerArgs = ["register", "--username", "dana", "--email", "dana@example.com", "--password-stdin"];
  expect((await pairgate(registerArgs, `${PASSWORD}\n`)).code).toBe(0);
  expect((await login()).code).toBe(0);
});

afterAll(async () => {
  await hub?.destroy();
  await rm(home, { recursive: true, force: true });
});

describe("pairgate login while a session is already saved", () => {
  it("ends the saved session at the hub, so its token is refused afterwards", async () => {
    const oldToken = await savedToken();
    const run = await login(["--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.previousSession).toMatchObject({ outcome: "ended" });
    expect(await savedToken()).not.toBe(oldToken);
    await expect(connectClient(hub, { token: oldToken })).rejects.toMatchObject({ data: { code: "invalid_token" } });

    const sessions = await pairgate(["sessions", "--json"]);
    expect(json(sessions).data.sessions).toHaveLength(1);
  });

  it("still logs in when the saved session had already ended at the hub", async () => {
    const oldToken = await savedToken();
    const elsewhere = await connectClient(hub, { token: oldToken });
    expectOk(await call(elsewhere, "auth:logout", {}));
    elsewhere.disconnect();

    const run = await login(["--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.previousSession).toMatchObject({ outcome: "already_ended" });
    expect(run.stderr).not.toContain("Notice");
  });
});

describe("pairgate device", () => {
  let phone: { deviceId: string; deviceToken: string };
  let phoneSocket: TestDeviceSocket;
  let tablet: { deviceId: string };

  afterAll(() => {
    phoneSocket?.disconnect();
  });

  it("add prints a binding code, waits live, and says Paired once an authenticator binds with it", async () => {
    const cli = launchCli(["device", "add"], { env: cliEnv() });
    cli.endInput();
    const [, code] = await cli.waitForOutput(CODE_LINE);
    phone = await bindWithCode(code!, "phone");

    const run = await cli.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Type this code into the PairGate authenticator (pairgate-device");
    expect(run.stdout).toMatch(/It works once, until \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z/);
    expect(run.stdout).toContain(`Paired phone (device id ${phone.deviceId})`);
    phoneSocket = await connectDevice(hub, phone);
  });

  it("add --json prints the code, then the paired device, as two JSON lines, under the name given with --name", async () => {
    const cli = launchCli(["device", "add", "--json", "--name", "work tablet"], { env: cliEnv() });
    cli.endInput();
    const [, code] = await cli.waitForOutput(/"code":"([0-9A-Z]{4}-[0-9A-Z]{4})"/);
    const bound = await bindWithCode(code!, "tablet");

    const run = await cli.done;
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toEqual({ ok: true, data: { code, expiresAt: expect.any(String) } });
    expect(lines[1]).toEqual({ ok: true, data: { device: { id: bound.deviceId, name: "work tablet" } } });
    tablet = bound;
  });

  it("add gives up with exit code 1 and a sentence when no device pairs before --timeout, also as a JSON line", async () => {
    const human = await pairgate(["device", "add", "--timeout", "1"]);
    expect(human.code).toBe(1);
    expect(human.stderr).toContain("No device was paired within 1 second.");
    expect(human.stderr).toContain("still works until");

    const scripted = await pairgate(["device", "add", "--timeout", "1", "--json"]);
    expect(scripted.code).toBe(1);
    const lines = scripted.stdout.trimEnd().split("\n").map((line) => JSON.parse(line));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ ok: false, error: { code: "pairing_timeout", exitCode: 1 } });
  });

  it("add refuses a --timeout longer than a code lives, as a usage error", async () => {
    const run = await pairgate(["device", "add", "--timeout", "301"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("from 1 to 300");
  });

  it("list shows every paired device in a table", async () => {
    const human = await pairgate(["device", "list"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/NAME\s+KIND\s+ID\s+ADDED\s+LAST USED\s+LOCKED UNTIL/);
    expect(human.stdout).toMatch(new RegExp(`phone\\s+PairGate\\s+${phone.deviceId}\\s+\\S+ \\S+\\s+never\\s+-`));
    expect(human.stdout).toContain("2 devices.");

    const scripted = await pairgate(["device", "list", "--json"]);
    const names = json(scripted).data.devices.map((device: { name: string }) => device.name);
    expect(names.sort()).toEqual(["phone", "work tablet"]);
  });

  it("rename gives a device a new name", async () => {
    const run = await pairgate(["device", "rename", phone.deviceId, "dana's phone"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Device ${phone.deviceId} is now called dana's phone.`);
    const list = await pairgate(["device", "list", "--json"]);
    expect(json(list).data.devices).toContainEqual(expect.objectContaining({ id: phone.deviceId, name: "dana's phone" }));
  });

  it("revoke without a terminal and without --yes stops with exit code 2 and changes nothing", async () => {
    const run = await pairgate(["device", "revoke", phone.deviceId]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Cannot ask for confirmation: there is no terminal. Pass --yes");
    const list = await pairgate(["device", "list", "--json"]);
    expect(json(list).data.devices).toHaveLength(2);
  });

  it("revoke --yes unpairs the device, and the authenticator hears device:revoked live", async () => {
    const heard = nextPush<DevicePushPayload<"device:revoked">>(phoneSocket, "device:revoked");
    const run = await pairgate(["device", "revoke", phone.deviceId, "--yes"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Unpaired dana's phone (${phone.deviceId})`);
    expect(await heard).toEqual({ deviceId: phone.deviceId });
  });

  it("revoke on a terminal names the device and asks first: no keeps it, yes unpairs it", async () => {
    const declined = launchCli(["device", "revoke", tablet.deviceId], { env: cliEnv(), terminal: true });
    await declined.waitForOutput(/Unpair work tablet/);
    declined.write("n\r");
    const kept = await declined.done;
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain("Nothing was changed: work tablet stays paired.");

    const accepted = launchCli(["device", "revoke", tablet.deviceId], { env: cliEnv(), terminal: true });
    await accepted.waitForOutput(/Unpair work tablet/);
    accepted.write("y\r");
    const run = await accepted.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Unpaired work tablet");
    const list = await pairgate(["device", "list"]);
    expect(list.stdout).toContain("No devices.");
  });

  it("a device id the account does not have gets the device_not_found sentence and exit code 1", async () => {
    const rename = await pairgate(["device", "rename", "no-such-device", "x"]);
    expect(rename.code).toBe(1);
    expect(rename.stderr).toContain("This account has no device with that id.");

    const revoke = await pairgate(["device", "revoke", "no-such-device", "--yes", "--json"]);
    expect(revoke.code).toBe(1);
    expect(json(revoke).error).toMatchObject({ code: "device_not_found", exitCode: 1 });
  });
});
