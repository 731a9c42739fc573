import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchCommand, type ProgramRun, type RunningProgram } from "../support/program-process.ts";
import { newestChange } from "../support/web-build.ts";

/**
 * The package as a person gets it: `npm pack` makes the tarball, `npm install -g ./pairgate-*.tgz
 * --prefix` puts it into a throw-away prefix (install scripts run), and the journey runs with the installed `pairgate-hub`,
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
let installLog = "";

/** The build's outputs, and every folder whose files go into them. */
const BUILT = ["dist/pairgate.js", "dist/pairgate-device.js", "dist/pairgate-hub.js", "dist/password-worker.js", "dist/web/index.html"];
const BUILT_FROM = ["protocol", "otp", "common", "terminal", "cli-client", "device-app", "server", "web"];

/** Whether dist/ is missing an output, or is older than a file it is built from. */
async function buildIsStale(): Promise<boolean> {
  const built = await Promise.all(BUILT.map((file) => stat(join(REPO, file)).then((info) => info.mtimeMs, () => 0)));
  const changed = BUILT_FROM.map((folder) => newestChange(join(REPO, folder)));
  return Math.min(...built) <= Math.max(...changed);
}

async function installPackage(): Promise<void> {
  // The tarball holds dist/ as the sources make it now. `npm ci` builds it (prepare), and it is
  // built again only when stale: a build empties dist/web, which the browser tests running
  // beside this one are serving pages from (they got HTTP 500s and blank pages).
  if (await buildIsStale()) await run("npm", ["run", "build"], { cwd: REPO });
  const { stdout } = await run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: REPO });
  const tarball = (JSON.parse(stdout) as { filename: string }[])[0]!.filename;
  // Installed as a person installs it, install scripts and all, with a PATH that holds node and
  // npm (and sh) but no compiler, make or Python: an install that tried to build anything would fail.
  // better-sqlite3's install script fetches its prebuilt native module (prebuild-install) from
  // GitHub, which this machine cannot reach, so the same file is offered as a local prebuild,
  // made from this checkout's module (same Node and machine), as a mirror would offer it.
  const log = await run("npm", ["install", "--global", "--prefix", prefix, "--foreground-scripts", "--no-audit", "--no-fund", `./${tarball}`], {
    cwd: work,
    env: { ...process.env, PATH: await toolFreePath(), npm_config_better_sqlite3_local_prebuilds: await localPrebuilds() },
    maxBuffer: 16 * 1024 * 1024,
  });
  installLog = `${log.stdout}\n${log.stderr}`;
}

/** A folder with links to node, npm and sh (which runs install scripts) only, for the PATH of the install. */
async function toolFreePath(): Promise<string> {
  const bin = join(work, "tool-free-bin");
  await mkdir(bin);
  for (const command of ["node", "npm", "sh"]) await symlink((await run("sh", ["-c", `command -v ${command}`])).stdout.trim(), join(bin, command));
  return bin;
}

/** better-sqlite3's prebuilt module as prebuild-install names and packs it, in a folder of its own. */
async function localPrebuilds(): Promise<string> {
  const folder = join(work, "prebuilds");
  await mkdir(folder);
  const { version } = JSON.parse(await readFile(join(REPO, "node_modules/better-sqlite3/package.json"), "utf8")) as { version: string };
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  await run("tar", ["-czf", join(folder, name), "build/Release/better_sqlite3.node"], { cwd: join(REPO, "node_modules/better-sqlite3") });
  return folder;
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
  // The Prisma CLI's own packages (migrations in development) are not part of the product: on
  // Node 20, @prisma/streams-local (which wants Node 22) cannot load because it is not there.
  const prismaPackages = await readdir(join(installed, "node_modules/@prisma"));
  for (const devOnly of ["streams-local", "dev", "engines"]) expect(prismaPackages).not.toContain(devOnly);
  for (const command of ["pairgate", "pairgate-device", "pairgate-hub"]) expect((await stat(join(prefix, "bin", command))).isFile()).toBe(true);
});

it("builds nothing at install time: the only install script is better-sqlite3's, and it took the prebuilt module with no compiler on the PATH", async () => {
  const withScripts: string[] = [];
  const modules = join(prefix, "lib/node_modules/pairgate/node_modules");
  // .bin and .package-lock.json are npm's own, not packages.
  const folders = (await readdir(modules)).filter((name) => !name.startsWith("@") && !name.startsWith("."));
  for (const scope of (await readdir(modules)).filter((name) => name.startsWith("@"))) folders.push(...(await readdir(join(modules, scope))).map((name) => `${scope}/${name}`));
  for (const folder of folders) {
    const manifest = JSON.parse(await readFile(join(modules, folder, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    if (["preinstall", "install", "postinstall"].some((script) => manifest.scripts?.[script])) withScripts.push(folder);
  }
  expect(withScripts).toEqual(["better-sqlite3"]);
  expect(installLog).not.toMatch(/gyp (info|ERR)/);
  expect((await stat(join(modules, "better-sqlite3/build/Release/better_sqlite3.node"))).isFile()).toBe(true);
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

  // XDG_CONFIG_HOME, when set, is where the terminal programs keep their state instead.
  const xdg = join(work, "xdg-config");
  const elsewhereKey = launch("pairgate", ["keys", "generate", "--bits", "2048"], { XDG_CONFIG_HOME: xdg });
  elsewhereKey.endInput();
  expect((await elsewhereKey.done).code).toBe(0);
  expect(await readdir(join(xdg, "pairgate"))).toContain("private-key.pem");
});

it("ends quietly when the reader of its output has gone: `pairgate-hub --help | head -1`", async () => {
  for (const command of ["pairgate-hub", "pairgate", "pairgate-device"]) {
    // The reader (`true`) reads nothing and leaves at once, long before Node has started, so the
    // first write almost always meets a closed pipe (with `head -1` it rarely did). pipefail: the
    // status is the command's own.
    const piped = await runInstalledShell(`set -o pipefail; ${command} --help | true`);
    expect(piped.stderr, command).toBe("");
    expect(piped.code, command).toBe(0);
  }
});

function runInstalledShell(script: string): Promise<ProgramRun> {
  const shell = launch("bash", ["-c", script]);
  shell.endInput();
  return shell.done;
}
