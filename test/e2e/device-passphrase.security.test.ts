// The authenticator's data file sealed with a passphrase, through the real pairgate-device:
// the passphrase commands round trip, a wrong passphrase changes nothing, and no secret is in clear.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchDevice, type DeviceRun } from "../support/device-process.ts";
import { openTmuxScreen } from "../support/tmux-screen.ts";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate-device.mjs");
const SECRET = "JBSWY3DPEHPK3PXP";
const URI = `otpauth://totp/GitHub:alice%40example.com?secret=${SECRET}&issuer=GitHub`;
const FIRST = "violet ember canyon";
const SECOND = "quiet harbour lantern";
// Each step starts real processes (and scrypt runs in each); on a loaded 2-core machine that takes a while.
const SLOW_MS = 240_000;

let scratch: string;
let env: Record<string, string>;
let dataFile: string;

/** One command with `input` on standard input, as a script runs it. */
function device(args: string[], input = "", extraEnv: Record<string, string> = {}): Promise<DeviceRun> {
  const running = launchDevice(args, { ...env, ...extraEnv });
  running.write(input);
  running.endInput();
  return running.done;
}

async function importedLabels(passphrase?: string): Promise<string[]> {
  const run = await device(["codes", "--json"], "", passphrase ? { PAIRGATE_DEVICE_PASSPHRASE: passphrase } : {});
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout).data.codes.map((code: { label: string }) => code.label);
}

beforeAll(async () => {
  execFileSync("tmux", ["-V"], { stdio: "pipe" });
  scratch = await mkdtemp(join(tmpdir(), "pairgate-passphrase-e2e-"));
  env = { PAIRGATE_HOME: join(scratch, "home") };
  dataFile = join(scratch, "home", "OTPData.json");
  await writeFile(join(scratch, "uris.txt"), `${URI}\n`);
  expect((await device(["import", join(scratch, "uris.txt")])).code).toBe(0);
}, SLOW_MS);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("the authenticator's passphrase", () => {
  it("seals the file on set: no secret in clear, 0600, and codes still shown with the passphrase", { timeout: SLOW_MS }, async () => {
    const set = await device(["passphrase", "set", "--passphrase-stdin"], `${FIRST}\n`);
    expect(set.stderr).toBe("");
    expect(set.code).toBe(0);
    const bytes = await readFile(dataFile, "utf8");
    expect(bytes).not.toContain(SECRET);
    expect(bytes).not.toContain("GitHub");
    expect(bytes).not.toContain("alice");
    expect(JSON.parse(bytes)).toMatchObject({ format: "pairgate-sealed-otp-data", version: 1, kdf: { name: "scrypt", N: 131072, r: 8, p: 1 }, cipher: { name: "aes-256-gcm" } });
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect(await importedLabels(FIRST)).toEqual(["GitHub: alice@example.com"]);
  });

  it("refuses a wrong passphrase in a sentence, and leaves the file byte for byte", { timeout: SLOW_MS }, async () => {
    const before = await readFile(dataFile);
    const modified = (await stat(dataFile)).mtimeMs;
    const run = await device(["codes"], "", { PAIRGATE_DEVICE_PASSPHRASE: "violet ember canyoN" });
    expect(run.code).toBe(3);
    expect(run.stderr).toBe(`That passphrase does not open ${dataFile}. Nothing was read or changed; try again.\n`);
    const change = await device(["passphrase", "change", "--passphrase-stdin"], `not the passphrase\n${SECOND}\n`);
    expect(change.code).toBe(3);
    expect(await readFile(dataFile)).toEqual(before);
    expect((await stat(dataFile)).mtimeMs).toBe(modified);
  });

  it("asks scripts without a terminal for PAIRGATE_DEVICE_PASSPHRASE rather than reading the file", { timeout: SLOW_MS }, async () => {
    const run = await device(["codes"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("PAIRGATE_DEVICE_PASSPHRASE");
    expect(run.stdout).toBe("");
  });

  it("refuses a wrong passphrase on the app's unlock screen, changing nothing, then opens with the right one", { timeout: SLOW_MS }, async () => {
    const before = await readFile(dataFile);
    const screen = await openTmuxScreen([process.execPath, BIN], env);
    try {
      await screen.waitFor(/is sealed with a passphrase[\s\S]*Passphrase/);
      await screen.type("wrong words here");
      const typing = await screen.capture();
      expect(typing).not.toContain("wrong words here");
      await screen.press("Enter");
      // The sentence wraps at the window's width, between any two words.
      await screen.waitFor(/That\s+passphrase\s+does\s+not\s+open\s+\S+OTPData\.json\.\s+Nothing\s+was\s+read\s+or\s+changed;\s+try\s+again\./);
      expect(await readFile(dataFile)).toEqual(before);
      await screen.type(FIRST);
      await screen.press("Enter");
      const unlocked = await screen.waitFor(/Other services[\s\S]*GitHub: alice@example\.com\s+\d{3} \d{3}/);
      expect(unlocked).not.toContain(SECRET);
    } finally {
      await screen.close();
    }
    expect(await readFile(dataFile)).toEqual(before);
  });

  it("changes the passphrase: the old one no longer opens the file, the new one does", { timeout: SLOW_MS }, async () => {
    const saltBefore = JSON.parse(await readFile(dataFile, "utf8")).kdf.salt;
    const change = await device(["passphrase", "change", "--passphrase-stdin"], `${FIRST}\n${SECOND}\n`);
    expect(change.stderr).toBe("");
    expect(change.code).toBe(0);
    expect(JSON.parse(await readFile(dataFile, "utf8")).kdf.salt).not.toBe(saltBefore);
    expect((await device(["codes"], "", { PAIRGATE_DEVICE_PASSPHRASE: FIRST })).code).toBe(3);
    expect(await importedLabels(SECOND)).toEqual(["GitHub: alice@example.com"]);
  });

  it("refuses a new passphrase shorter than 8 characters, keeping the old one", { timeout: SLOW_MS }, async () => {
    const before = await readFile(dataFile);
    const change = await device(["passphrase", "change", "--passphrase-stdin"], `${SECOND}\nshort\n`);
    expect(change.code).toBe(2);
    expect(change.stderr).toContain("at least 8 characters");
    expect(await readFile(dataFile)).toEqual(before);
  });

  it("removes the passphrase: the file is plain JSON again and opens without one", { timeout: SLOW_MS }, async () => {
    const remove = await device(["passphrase", "remove", "--passphrase-stdin"], `${SECOND}\n`);
    expect(remove.stderr).toBe("");
    expect(remove.code).toBe(0);
    const plain = JSON.parse(await readFile(dataFile, "utf8"));
    expect(plain).toMatchObject({ version: 2, accounts: [], imported: [{ issuer: "GitHub", account: "alice@example.com", secret: SECRET }] });
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect(await importedLabels()).toEqual(["GitHub: alice@example.com"]);
  });
});
