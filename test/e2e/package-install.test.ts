import { execFile } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchCommand, type ProgramRun, type RunningProgram } from "../support/program-process.ts";

/**
 * The package as a person gets it: `npm pack` makes the tarball, `npm install -g` puts it into a
 * throw-away prefix from npm's cache, and the journey runs with the installed `pairgate-hub`,
 * `pairgate` and `pairgate-device` commands, found on the PATH, from a folder that is not the
 * checkout, with the terminal programs' state in the XDG folders of a fresh home.
 */
const REPO = resolve(import.meta.dirname, "../..");
const PASSWORD = "violet-ember-canyon-42";
const run = promisify(execFile);
let work: string;
let prefix: string;
let env: Record<string, string>;
let hub: RunningProgram | undefined;

async function installPackage(): Promise<void> {
  // The tarball holds dist/ as `npm run build` makes it now, whatever dist/ held before.
  await run("npm", ["run", "build"], { cwd: REPO });
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: REPO });
  const tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
  // --ignore-scripts: better-sqlite3's install script would compile its native module for
  // minutes; the one this checkout's install built is for the same Node and machine, and is
  // copied in instead. Every other dependency installs as npm installs it.
  await run("npm", ["install", "--global", "--prefix", prefix, "--prefer-offline", "--ignore-scripts", "--no-audit", "--no-fund", tarball], { cwd: work });
  const nativeModule = "node_modules/better-sqlite3/build/Release/better_sqlite3.node";
  const installed = join(prefix, "lib/node_modules/pairgate", nativeModule);
  await mkdir(dirname(installed), { recursive: true });
  await copyFile(join(REPO, nativeModule), installed);
}

function launch(command: string, args: string[], extra: Record<string, string> = {}): RunningProgram {
  return launchCommand([command, ...args], { env: { ...env, ...extra }, cwd: join(work, "elsewhere") });
}

function runInstalled(command: string, args: string[], input = ""): Promise<ProgramRun> {
  const program = launch(command, args);
  program.write(input);
  program.endInput();
  return program.done;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "pairgate-package-"));
  prefix = join(work, "prefix");
  await mkdir(join(work, "elsewhere"));
  await mkdir(join(work, "home"));
  await installPackage();
  env = {
    PATH: `${join(prefix, "bin")}:${dirname(process.execPath)}:/usr/bin:/bin`,
    HOME: join(work, "home"),
    // The terminal programs' folder is left to its default, the XDG one under HOME.
    PAIRGATE_HOME: "",
    XDG_CONFIG_HOME: "",
    PAIRGATE_HUB: "",
    PAIRGATE_CA: "",
    PAIRGATE_RUN_FROM: "",
  };
}, 600_000);

afterAll(async () => {
  hub?.signal("SIGTERM");
  await hub?.done;
  await rm(work, { recursive: true, force: true });
});

it("installs from the packed tarball with compiled programs only: no sources, no tests, no TypeScript compiler", async () => {
  const installed = join(prefix, "lib/node_modules/pairgate");
  const top = await readdir(installed);
  expect(top).toEqual(expect.arrayContaining(["bin", "dist", "prisma", "package.json"]));
  for (const folder of ["server", "cli-client", "device-app", "test", "scripts"]) expect(top).not.toContain(folder);
  const modules = await readdir(join(installed, "node_modules"));
  for (const compiler of ["tsx", "typescript", "esbuild", "prisma", "vitest"]) expect(modules).not.toContain(compiler);
  for (const command of ["pairgate", "pairgate-device", "pairgate-hub"]) expect((await stat(join(prefix, "bin", command))).isFile()).toBe(true);
});

it("runs the journey with the installed commands: hub start, register, whoami, device bind, a login with its code", { timeout: 180_000 }, async () => {
  const hubData = join(work, "hub-data");
  const caFile = join(work, "hub-certs", "ca.pem");
  hub = launch("pairgate-hub", [], {
    PAIRGATE_DATA_DIR: hubData,
    PAIRGATE_CERT_DIR: join(work, "hub-certs"),
    PAIRGATE_PORT: "0",
    PAIRGATE_BCRYPT_COST: "4",
    PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false",
  });
  const [, hubUrl] = await hub.waitForOutput(/hub ready at (https:\/\/\S+)/, 60_000);
  const client = (args: string[], input?: string) => runInstalled("pairgate", ["--hub", hubUrl!, "--ca", caFile, ...args], input);
  const device = (args: string[]) => runInstalled("pairgate-device", ["--hub", hubUrl!, "--ca", caFile, ...args]);

  expect((await client(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  const registered = await client(["register", "--username", "ada", "--email", "ada@example.com", "--password-stdin"], `${PASSWORD}\n`);
  expect(registered.code, registered.stderr).toBe(0);
  const loggedIn = await client(["login", "--username", "ada", "--password-stdin"], `${PASSWORD}\n`);
  expect(loggedIn.code, loggedIn.stderr).toBe(0);
  const whoami = await client(["whoami"]);
  expect(whoami.code, whoami.stderr).toBe(0);
  expect(whoami.stdout).toContain("ada");

  const adding = launch("pairgate", ["--hub", hubUrl!, "--ca", caFile, "device", "add", "--json"]);
  const [, bindingCode] = await adding.waitForOutput(/"code":"([0-9A-Z]{4}-[0-9A-Z]{4})"/);
  const bound = await device(["bind", bindingCode!, "--name", "ada-phone"]);
  expect(bound.code, bound.stderr).toBe(0);
  expect((await adding.done).code).toBe(0);

  const shown = await device(["code", "--json"]);
  expect(shown.code, shown.stderr).toBe(0);
  const otp = (JSON.parse(shown.stdout) as { data: { code: string } }).data.code;
  const withCode = await client(["login", "--username", "ada", "--password-stdin", "--otp", otp], `${PASSWORD}\n`);
  expect(withCode.code, withCode.stderr).toBe(0);

  // State where a person expects it: the XDG folder for the terminal programs, the data folder
  // the hub was given for the hub.
  const state = await readdir(join(work, "home", ".config", "pairgate"));
  expect(state).toEqual(expect.arrayContaining(["private-key.pem", "session.json", "OTPData.json"]));
  expect(await readdir(hubData)).toContain("pairgate.db");
  expect(await readdir(join(work, "elsewhere"))).toEqual([]);
});
