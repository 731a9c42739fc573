// The data file's passphrase set, changed and removed from inside the real pairgate-device app,
// read off a tmux screen as a person sees it: the current passphrase is asked first, a wrong one
// leaves the file byte for byte, and every new seal is what the commands then open.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchDevice, type DeviceRun } from "../support/device-process.ts";
import { openTmuxScreen, type TmuxScreen } from "../support/tmux-screen.ts";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate-device.mjs");
const SECRET = "JBSWY3DPEHPK3PXP";
const URI = `otpauth://totp/GitHub:alice%40example.com?secret=${SECRET}&issuer=GitHub`;
const FIRST = "violet ember canyon";
const SECOND = "quiet harbour lantern";
// Real processes, and scrypt at full cost in each step; a loaded 2-core machine takes its time.
const SLOW_MS = 300_000;
const SCREEN_WAIT_MS = 120_000;

let scratch: string;
let env: Record<string, string>;
let dataFile: string;
let screen: TmuxScreen;

function device(args: string[], extraEnv: Record<string, string> = {}): Promise<DeviceRun> {
  const running = launchDevice(args, { ...env, ...extraEnv });
  running.endInput();
  return running.done;
}

/** Whether `passphrase` (or none) opens the file for a script, as the commands read it. */
async function opensWith(passphrase?: string): Promise<boolean> {
  const run = await device(["codes", "--json"], passphrase ? { PAIRGATE_DEVICE_PASSPHRASE: passphrase } : {});
  return run.code === 0 && JSON.parse(run.stdout).data.codes.some((code: { label: string }) => code.label === "GitHub: alice@example.com");
}

function isSealed(text: string): boolean {
  return (JSON.parse(text) as { format?: string }).format === "pairgate-sealed-otp-data";
}

beforeAll(async () => {
  execFileSync("tmux", ["-V"], { stdio: "pipe" });
  scratch = await mkdtemp(join(tmpdir(), "pairgate-passphrase-screen-"));
  env = { PAIRGATE_HOME: join(scratch, "home") };
  dataFile = join(scratch, "home", "OTPData.json");
  await writeFile(join(scratch, "uris.txt"), `${URI}\n`);
  expect((await device(["import", join(scratch, "uris.txt")])).code).toBe(0);
  screen = await openTmuxScreen([process.execPath, BIN], env);
  await screen.waitFor(/GitHub: alice@example\.com\s+\d{3} \d{3}/, SCREEN_WAIT_MS);
}, SLOW_MS);

afterAll(async () => {
  await screen?.close();
  await rm(scratch, { recursive: true, force: true });
});

describe("the passphrase screen of pairgate-device", () => {
  it("sets a passphrase on a plain file, asked twice, refusing a short one", { timeout: SLOW_MS }, async () => {
    await screen.press("s");
    await screen.waitFor(/has no passphrase[\s\S]*› New passphrase/);
    await screen.type("short");
    await screen.press("Enter");
    await screen.waitFor(/A passphrase needs at least 8 characters\./);
    await screen.type(FIRST);
    const typed = await screen.capture();
    expect(typed).not.toContain(FIRST);
    await screen.press("Enter");
    await screen.waitFor(/› New passphrase \(again\)/);
    await screen.type(FIRST);
    await screen.press("Enter");
    await screen.waitFor(/is\s+now\s+sealed\s+with\s+your\s+new\s+passphrase\.[\s\S]*GitHub: alice@example\.com\s+\d{3} \d{3}/, SCREEN_WAIT_MS);
    const bytes = await readFile(dataFile, "utf8");
    expect(isSealed(bytes)).toBe(true);
    expect(bytes).not.toContain(SECRET);
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect(await opensWith(FIRST)).toBe(true);
  });

  it("refuses a wrong current passphrase without touching the file, then changes it with the right one", { timeout: SLOW_MS }, async () => {
    const before = await readFile(dataFile);
    await screen.press("s");
    await screen.waitFor(/is sealed with a passphrase\.[\s\S]*› Current passphrase/);
    await screen.type("not the passphrase");
    await screen.press("Enter");
    await screen.waitFor(/That\s+passphrase\s+does\s+not\s+open\s+\S+OTPData\.json\.\s+Nothing\s+was\s+read\s+or\s+changed;\s+try\s+again\./, SCREEN_WAIT_MS);
    expect(await readFile(dataFile)).toEqual(before);

    await screen.type(FIRST);
    await screen.press("Enter");
    await screen.waitFor(/c change · r remove · Esc back/, SCREEN_WAIT_MS);
    await screen.press("c");
    await screen.waitFor(/› New passphrase/);
    await screen.type(SECOND);
    await screen.press("Enter");
    await screen.waitFor(/› New passphrase \(again\)/);
    await screen.type(`${SECOND}x`);
    await screen.press("Enter");
    await screen.waitFor(/The two entries differ; type the new passphrase again\./);
    expect(await readFile(dataFile)).toEqual(before);
    await screen.type(SECOND);
    await screen.press("Enter");
    await screen.waitFor(/› New passphrase \(again\)/);
    await screen.type(SECOND);
    await screen.press("Enter");
    await screen.waitFor(/is\s+now\s+sealed\s+with\s+your\s+new\s+passphrase\./, SCREEN_WAIT_MS);
    expect(await opensWith(FIRST)).toBe(false);
    expect(await opensWith(SECOND)).toBe(true);
  });

  it("removes the passphrase after asking for it: the file is plain JSON again and still holds the code", { timeout: SLOW_MS }, async () => {
    await screen.press("s");
    await screen.waitFor(/› Current passphrase/);
    await screen.type(SECOND);
    await screen.press("Enter");
    await screen.waitFor(/c change · r remove · Esc back/, SCREEN_WAIT_MS);
    await screen.press("r");
    await screen.waitFor(/no\s+longer\s+has\s+a\s+passphrase;\s+it\s+is\s+protected\s+by\s+its\s+0600\s+mode\s+only\./, SCREEN_WAIT_MS);
    const plain = await readFile(dataFile, "utf8");
    expect(isSealed(plain)).toBe(false);
    expect(JSON.parse(plain)).toMatchObject({ imported: [{ issuer: "GitHub", secret: SECRET }] });
    expect((await stat(dataFile)).mode & 0o777).toBe(0o600);
    expect(await opensWith()).toBe(true);
    // The app goes on working with the plain file.
    await screen.waitFor(/GitHub: alice@example\.com\s+\d{3} \d{3}/);
  });
});
