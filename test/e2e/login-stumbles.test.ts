import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchCli, runCli } from "../support/cli-process.ts";
import { launchDevice, runDevice } from "../support/device-process.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

/**
 * Logins a person leaves or gets wrong, with the real client and the real authenticator on
 * terminals: the request leaves the authenticator's screen when the client goes away.
 */
const PASSWORD = "violet-ember-canyon-42";
let hub: TestHub;
let scratch: string;

const clientEnv = () => ({ PAIRGATE_HOME: join(scratch, "client"), PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile });
const deviceEnv = () => ({ PAIRGATE_HOME: join(scratch, "device"), PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile });

function stripAnsi(text: string): string {
  return text.replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, "");
}

/** What the authenticator's screen shows now: the text of its last frame. */
function lastFrame(output: string): string {
  const screen = stripAnsi(output);
  return screen.slice(screen.lastIndexOf("Login requests"));
}

beforeAll(async () => {
  hub = await startTestHub();
  scratch = await mkdtemp(join(tmpdir(), "pairgate-login-stumbles-"));
  expect((await runCli(["keys", "generate", "--bits", "2048"], clientEnv())).code).toBe(0);
  const registered = await runCli(["register", "--username", "ada", "--email", "ada@example.com", "--password-stdin"], clientEnv(), `${PASSWORD}\n`);
  expect(registered.code, registered.stderr).toBe(0);
  expect((await runCli(["login", "--username", "ada", "--password-stdin"], clientEnv(), `${PASSWORD}\n`)).code).toBe(0);
  const adding = launchCli(["device", "add", "--json"], { env: clientEnv() });
  const [, bindingCode] = await adding.waitForOutput(/"code":"([0-9A-Z]{4}-[0-9A-Z]{4})"/);
  const bound = await runDevice(["bind", bindingCode!, "--name", "ada-phone"], deviceEnv());
  expect(bound.code, bound.stderr).toBe(0);
  expect((await adding.done).code).toBe(0);
}, 120_000);

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("a login the person walks away from", () => {
  it("leaves the authenticator's screen as soon as the client is interrupted at the code prompt", { timeout: 120_000 }, async () => {
    const app = launchDevice([], deviceEnv(), { terminal: true, cwd: scratch });
    await app.waitForOutput(/● connected/, 30_000);
    const cli = launchCli(["login", "--username", "ada"], { env: clientEnv(), terminal: true });
    await cli.waitForOutput(/Password:/, 30_000);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/One-time code:/, 30_000);
    await app.waitForOutput(/ada is logging in · expires in/, 30_000);

    cli.write("\x03");
    const interrupted = await cli.done;
    expect(interrupted.code).toBe(130);

    await app.waitForOutput(/ada's login request ended: the client gave up or lost its connection\./, 30_000);
    expect(lastFrame(app.output())).toContain("No login requests waiting.");
    expect(lastFrame(app.output())).not.toContain("is logging in");
    const challenge = await hub.hub.context.db.loginChallenge.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(challenge.usedAt).not.toBeNull();
    app.write("q");
    await app.done;
  });
});

/** The authenticator's current code, as a person would read it off its screen. */
async function currentCode(): Promise<string> {
  const shown = await runDevice(["code", "--json"], deviceEnv());
  expect(shown.code, shown.stderr).toBe(0);
  return (JSON.parse(shown.stdout) as { data: { code: string } }).data.code;
}

function wrongCodeFor(right: string): string {
  return String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
}

describe("a mistyped code", () => {
  it("is asked again within the same login, saying how many tries are left, and the password is asked once", { timeout: 120_000 }, async () => {
    const cli = launchCli(["login", "--username", "ada"], { env: clientEnv(), terminal: true });
    await cli.waitForOutput(/Password:/, 30_000);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/One-time code:/, 30_000);
    const right = await currentCode();
    cli.write(`${wrongCodeFor(right)}\r`);
    await cli.waitForOutput(/type the device's current code again \(2 tries left for this login\)/, 30_000);
    cli.write(`${right}\r`);
    const run = await cli.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Logged in as ada");
    const afterTheTypo = run.stdout.slice(run.stdout.indexOf("2 tries left"));
    expect(afterTheTypo).toContain("One-time code:");
    expect(afterTheTypo).not.toContain("Password:");
  });

  it("after a lock, says what is locked, until when, and that a recovery code still works", { timeout: 120_000 }, async () => {
    const cli = launchCli(["login", "--username", "ada"], { env: clientEnv(), terminal: true });
    await cli.waitForOutput(/Password:/, 30_000);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/One-time code:/, 30_000);
    // As if the tenth wrong code in a row, from anywhere, had just locked the device.
    const lockedUntil = new Date(Date.now() + 15 * 60_000);
    await hub.hub.context.db.device.updateMany({ data: { lockedUntil } });
    cli.write(`${await currentCode()}\r`);
    await cli.waitForOutput(/Recovery code:/, 30_000);
    const screen = stripAnsi(cli.output());
    expect(screen).toContain(`the paired device is locked until ${lockedUntil.toISOString().slice(0, 10)}`);
    expect(screen).toContain("neither its code nor an approval can pass. A recovery code still works");
    cli.write("\x03");
    expect((await cli.done).code).toBe(130);
    await hub.hub.context.db.device.updateMany({ data: { lockedUntil: null, failedAttempts: 0 } });
  });
});

