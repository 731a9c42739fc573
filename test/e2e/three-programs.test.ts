import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchCli, runCli } from "../support/cli-process.ts";
import { launchDevice, runDevice } from "../support/device-process.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

/**
 * The whole journey with the three real programs, as the README tells a person to run them:
 * the hub, the `pairgate` client and the `pairgate-device` authenticator, each its own process
 * with its own state folder.
 */
const PASSWORD = "violet-ember-canyon-42";
let hub: TestHub;
let clientHome: string;
let deviceHome: string;

const clientEnv = () => ({ PAIRGATE_HOME: clientHome, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile });
const deviceEnv = () => ({ PAIRGATE_HOME: deviceHome, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile });

beforeAll(async () => {
  hub = await startTestHub();
  clientHome = await mkdtemp(join(tmpdir(), "pairgate-e2e-client-"));
  deviceHome = await mkdtemp(join(tmpdir(), "pairgate-e2e-device-"));
});
afterAll(async () => {
  await hub.destroy();
  await rm(clientHome, { recursive: true, force: true });
  await rm(deviceHome, { recursive: true, force: true });
});

it("registers, pairs an authenticator, logs in with its typed code, then by approving with number matching", { timeout: 120_000 }, async () => {
  expect((await runCli(["keys", "generate", "--bits", "2048"], clientEnv())).code).toBe(0);
  const registered = await runCli(["register", "--username", "ada", "--email", "ada@example.com", "--password-stdin"], clientEnv(), `${PASSWORD}\n`);
  expect(registered.code, registered.stderr).toBe(0);
  const first = await runCli(["login", "--username", "ada", "--password-stdin"], clientEnv(), `${PASSWORD}\n`);
  expect(first.code, first.stderr).toBe(0);

  // Pairing: the client shows a code and waits; the authenticator binds with it.
  const adding = launchCli(["device", "add", "--json"], { env: clientEnv() });
  const [, bindingCode] = await adding.waitForOutput(/"code":"([0-9A-Z]{4}-[0-9A-Z]{4})"/);
  const bound = await runDevice(["bind", bindingCode!, "--name", "ada-phone"], deviceEnv());
  expect(bound.code, bound.stderr).toBe(0);
  const added = await adding.done;
  expect(added.code, added.stderr).toBe(0);
  expect(added.stdout).toContain("ada-phone");

  // A login with the code typed into the client.
  const shown = await runDevice(["code", "--json"], deviceEnv());
  expect(shown.code, shown.stderr).toBe(0);
  const otp = (JSON.parse(shown.stdout) as { data: { code: string } }).data.code;
  expect(otp).toMatch(/^\d{6}$/);
  const typed = await runCli(["login", "--username", "ada", "--password-stdin", "--otp", otp], clientEnv(), `${PASSWORD}\n`);
  expect(typed.code, typed.stderr).toBe(0);
  // The same code never works twice.
  const replayed = await runCli(["login", "--username", "ada", "--password-stdin", "--otp", otp], clientEnv(), `${PASSWORD}\n`);
  expect(replayed.code).toBe(3);

  // A login approved on the authenticator, typing there the number the client shows.
  // `watch` lists waiting requests when it connects, so it may start before or after the login.
  const watching = launchDevice(["watch"], deviceEnv());
  const loggingIn = launchCli(["login", "--username", "ada", "--password-stdin", "--name", "ada-laptop"], { env: clientEnv() });
  loggingIn.write(`${PASSWORD}\n`);
  loggingIn.endInput();
  const [, number] = await loggingIn.waitForOutput(/\(the number (\d{2})\)/);
  const [newLine] = await watching.waitForOutput(/\{[^\n]*"event":"challenge:new"[^\n]*\}/, 20_000);
  const challenge = (JSON.parse(newLine) as { data: { challengeId: string; newKey: boolean; client: { name: string } } }).data;
  expect(challenge.client.name).toBe("ada-laptop");
  expect(challenge.newKey).toBe(false);
  expect(newLine).not.toContain(`"${number}"`);

  const approved = await runDevice(["approve", challenge.challengeId, "--number", number!], deviceEnv());
  expect(approved.code, approved.stderr).toBe(0);
  const loggedIn = await loggingIn.done;
  expect(loggedIn.code, loggedIn.stderr).toBe(0);
  expect(loggedIn.stdout).toContain("Logged in as ada");
  await watching.waitForOutput(/"event":"challenge:closed"/, 20_000);
  watching.signal("SIGINT");
  await watching.done;

  const whoami = await runCli(["whoami"], clientEnv());
  expect(whoami.code).toBe(0);
  expect(whoami.stdout).toContain("ada");
});
