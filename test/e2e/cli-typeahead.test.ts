import { execFileSync, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { machine, type Machine } from "./pairgate-machine.ts";

/** Keys typed before a hidden prompt appears are never shown on the terminal. */
const PASSWORD = "violet-ember-canyon-42";
let hub: TestHub;
let scratch: string;
let uma: Machine;

beforeAll(async () => {
  hub = await startTestHub();
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-typeahead-"));
  uma = machine(hub, join(scratch, "uma"));
  expect((await uma.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  expect((await uma.run(["register", "--username", "uma", "--email", "uma@example.com", "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

/**
 * Whether the terminal of the `pairgate` process running with this PAIRGATE_HOME has echo off:
 * the process is found by its environment, its terminal from /proc, the setting with stty.
 */
function echoIsOff(home: string): boolean {
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`PAIRGATE_HOME=${home}`)) continue;
      const terminal = readlinkSync(`/proc/${pid}/fd/0`);
      if (!terminal.startsWith("/dev/pts/")) continue;
      return /(^|\s)-echo(\s|$)/m.test(execFileSync("stty", ["-a", "-F", terminal], { encoding: "utf8" }));
    } catch {
      // A process that ended meanwhile, or one of another user.
    }
  }
  return false;
}

it("does not echo a password typed before its prompt appears, and takes it at the prompt", { timeout: 60_000 }, async () => {
  const login = uma.launch(["login", "--username", "uma"], true);
  // Typed while the program is still starting: once it runs, and before its prompt is drawn.
  await expect.poll(() => echoIsOff(uma.home), { timeout: 20_000, interval: 20 }).toBe(true);
  // A prompt turns echo off too; this is the program doing it before any prompt.
  expect(login.output()).not.toContain("Password:");
  login.write(PASSWORD);
  await login.waitForOutput(/Password:/, 30_000);
  login.write("\r");
  const run = await login.done;
  expect(run.code, run.stdout).toBe(0);
  expect(run.stdout).toContain("Logged in as uma");
  expect(run.stdout).not.toContain(PASSWORD);
});

it("gives the terminal its echo back when it ends", () => {
  const bin = resolve(import.meta.dirname, "../../bin/pairgate.mjs");
  const env = { ...process.env, ...uma.env, TERM: "xterm-256color" };
  const shell = `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} whoami >/dev/null 2>&1; stty -a`;
  const run = spawnSync("script", ["--quiet", "--return", "--command", shell, "/dev/null"], { env, encoding: "utf8", timeout: 30_000 });
  expect(run.stdout).toMatch(/(^|\s)echo(\s|$)/m);
  expect(run.stdout).not.toMatch(/-echo\b/);
});
