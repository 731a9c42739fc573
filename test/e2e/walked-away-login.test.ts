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
  scratch = await mkdtemp(join(tmpdir(), "pairgate-walked-away-"));
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
    await app.waitForOutput(/ada is logging in from/, 30_000);

    cli.write("\x03");
    const interrupted = await cli.done;
    expect(interrupted.code).toBe(130);

    await app.waitForOutput(/ada's login request ended: the client gave up or lost its connection\./, 30_000);
    expect(lastFrame(app.output())).toContain("No login requests waiting.");
    expect(lastFrame(app.output())).not.toContain("is logging in from");
    const challenge = await hub.hub.context.db.loginChallenge.findFirstOrThrow({ orderBy: { createdAt: "desc" } });
    expect(challenge.usedAt).not.toBeNull();
    app.write("q");
    await app.done;
  });
});
