import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DevicePushPayload } from "#protocol";
import { type CliRun, launchCli, runCli } from "../support/cli-process.ts";
import { connectClient } from "../support/client.ts";
import { connectDevice, deviceCall, nextPush, pairDevice, type TestDevice, type TestDeviceSocket } from "../support/device.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { bigNumber } from "../../cli-client/big-number.ts";

const PASSWORD = "violet-ember-canyon-42";

let hub: TestHub;
let home: string;
let device: TestDevice;
let deviceSocket: TestDeviceSocket;

function cliEnv(): Record<string, string> {
  return { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile };
}

function login(extraArgs: string[] = []): Promise<CliRun> {
  return runCli(["login", "--username", "grace", "--password-stdin", ...extraArgs], cliEnv(), `${PASSWORD}\n`);
}

/** Grace registers and logs in with the CLI, then pairs an authenticator using that session. */
beforeAll(async () => {
  hub = await startTestHub();
  home = await mkdtemp(join(tmpdir(), "pairgate-cli-device-"));
  expect((await runCli(["keys", "generate", "--bits", "2048"], cliEnv())).code).toBe(0);
  const registerArgs = ["register", "--username", "grace", "--email", "grace@example.com", "--password-stdin"];
  expect((await runCli(registerArgs, cliEnv(), `${PASSWORD}\n`)).code).toBe(0);
  expect((await login()).code).toBe(0);

  const { token } = JSON.parse(await readFile(join(home, "session.json"), "utf8"));
  const owner = await connectClient(hub, { token });
  device = await pairDevice(hub, owner);
  owner.disconnect();
  deviceSocket = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
});

afterAll(async () => {
  deviceSocket?.disconnect();
  await hub?.destroy();
  await rm(home, { recursive: true, force: true });
});

describe("pairgate login on an account with a paired device", () => {
  it("logs in with the device's current code given with --otp", async () => {
    const run = await login(["--otp", device.nextCode()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Logged in as grace");
  });

  it("refuses a wrong code with exit code 3 and a sentence", async () => {
    const run = await login(["--otp", "000000"]);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("The one-time code is wrong or was already used");
  });

  it("waits for the device's approval, showing large the number the person must type there, which the device is not told", async () => {
    const offered = nextPush<DevicePushPayload<"challenge:new">>(deviceSocket, "challenge:new");
    const cli = launchCli(["login", "--username", "grace", "--password-stdin", "--name", "grace-laptop"], { env: cliEnv() });
    cli.write(`${PASSWORD}\n`);
    cli.endInput();
    const challenge = await offered;
    expect(challenge.client.name).toBe("grace-laptop");
    expect(challenge.newKey).toBe(false);
    const [, shownNumber] = await cli.waitForOutput(/\(the number (\d{2})\)/);
    expect(cli.output()).toContain("Type this number on it:");
    // Drawn large, whatever the digits (11 has no glyph row of five #).
    expect(cli.output()).toContain(bigNumber(shownNumber!).join("\n"));
    expect(JSON.stringify(challenge)).not.toContain(`"${shownNumber}"`);

    const approve = { challengeId: challenge.challengeId, otp: device.nextCode(), numberMatch: shownNumber! };
    expect(await deviceCall(deviceSocket, "challenge:approve", approve)).toMatchObject({ ok: true });
    const run = await cli.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Logged in as grace");
  });

  it("stops with exit code 3 when the login is denied on the device", async () => {
    const offered = nextPush<DevicePushPayload<"challenge:new">>(deviceSocket, "challenge:new");
    const cli = launchCli(["login", "--username", "grace", "--password-stdin"], { env: cliEnv() });
    cli.write(`${PASSWORD}\n`);
    cli.endInput();
    const challenge = await offered;
    expect(await deviceCall(deviceSocket, "challenge:deny", { challengeId: challenge.challengeId })).toMatchObject({ ok: true });
    const run = await cli.done;
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("The login was denied on the paired device.");
  });

  it("on a terminal, asks for the password hidden and takes the code typed instead of an approval", async () => {
    const cli = launchCli(["login", "--username", "grace"], { env: cliEnv(), terminal: true });
    await cli.waitForOutput(/Password:/);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/One-time code:/);
    cli.write(`${device.nextCode()}\r`);
    const run = await cli.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Or type the device's current code below");
    expect(run.stdout).toContain("Logged in as grace");
    expect(run.stdout).not.toContain(PASSWORD);
  });
});
