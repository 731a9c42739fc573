import { existsSync, mkdtempSync, readdirSync, rmSync, watch } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { OtpDataFile, type DeviceAccount } from "../../device-app/otp-data.ts";
import { deriveNewSealKey } from "../../device-app/sealed-data.ts";
import { sampleAccount } from "../support/device-account.ts";
import { launchDevice } from "../support/device-process.ts";

/**
 * The real `pairgate-device code`, killed with SIGKILL again and again at markers around its save
 * (its lock taken, its temporary file written, its code printed): the data file is always whole,
 * its counter never goes back, and no counter's code is ever printed twice.
 */

const scratch = mkdtempSync(join(os.tmpdir(), "pairgate-device-crash-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const PASSPHRASE = "crash-test-passphrase";
const TARGET_ID = "dev_target";
// Other accounts make the file large enough (about 150 kB) that a save takes a while to write.
const FILLER_ACCOUNTS = 400;
type KillMarker = "lock" | "temporary" | "printed";
const MARKERS: KillMarker[] = ["lock", "temporary", "printed", "temporary"];

describe("pairgate-device killed while it saves its data file", { timeout: 120_000 }, () => {
  it.each([
    { sealed: false, runs: 8 },
    { sealed: true, runs: 4 },
  ])("never leaves a damaged file nor reuses a counter (sealed: $sealed)", async ({ sealed, runs }) => {
    const home = join(scratch, sealed ? "sealed" : "plain");
    const dataFile = join(home, "OTPData.json");
    const file = new OtpDataFile(dataFile);
    const accounts = [sampleAccount({ id: TARGET_ID }), ...Array.from({ length: FILLER_ACCOUNTS }, (_, i) => sampleAccount({ id: `dev_filler_${i}`, username: `filler${i}` }))];
    expect(await file.update(() => accounts)).toMatchObject({ ok: true });
    // The lowest scrypt cost a file may name: the seal is what is under test here, not its cost.
    if (sealed) expect(await file.reseal(await deriveNewSealKey(PASSPHRASE, { N: 2 ** 14, r: 8, p: 1 }))).toMatchObject({ ok: true });
    const env = { PAIRGATE_HOME: home, ...(sealed ? { PAIRGATE_DEVICE_PASSPHRASE: PASSPHRASE } : {}) };

    const printedCounters: number[] = [];
    let lastCounter = 0;
    const outcomes = { killed: 0, finished: 0 };
    for (let run = 0; run < runs; run += 1) {
      const marker = MARKERS[run % MARKERS.length]!;
      const result = await runUntilMarker(["code", "--json", "--account", TARGET_ID], env, home, marker);
      outcomes[result.killed ? "killed" : "finished"] += 1;
      if (result.printed) printedCounters.push(result.printed.counter);

      const target = await readTarget(dataFile, sealed);
      // The save comes before the code: whatever was printed is already behind the file's counter.
      if (result.printed) expect(target.counter).toBeGreaterThan(result.printed.counter);
      expect(target.counter).toBeGreaterThanOrEqual(lastCounter);
      lastCounter = target.counter;
      // A process killed while holding the lock leaves its folder; the message says to remove it
      // when no pairgate-device runs, and none does now.
      if (result.killed) rmSync(`${dataFile}.lock`, { recursive: true, force: true });
    }

    // One clean run after all the kills: it works, and it clears what the killed writes left.
    const final = await runUntilMarker(["code", "--json", "--account", TARGET_ID], env, home, null);
    expect(final.printed).toBeDefined();
    printedCounters.push(final.printed!.counter);
    expect(final.printed!.counter).toBeGreaterThanOrEqual(lastCounter);
    expect(readdirSync(home).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    expect(new Set(printedCounters).size).toBe(printedCounters.length);
    // The markers did land on running processes: at least half the runs were cut short.
    expect(outcomes.killed).toBeGreaterThanOrEqual(runs / 2);
  });
});

interface CutRun {
  killed: boolean;
  printed?: { code: string; counter: number };
}

/** Runs `pairgate-device`, and kills it with SIGKILL as soon as `marker` is seen (null: let it finish). */
async function runUntilMarker(args: string[], env: Record<string, string>, home: string, marker: KillMarker | null): Promise<CutRun> {
  const device = launchDevice(args, env);
  device.endInput();
  let killed = false;
  const kill = () => {
    if (killed) return;
    killed = true;
    device.signal("SIGKILL");
  };
  const watcher = watch(home, (_event, name) => {
    if (marker === "lock" && name === "OTPData.json.lock") kill();
    if (marker === "temporary" && name?.startsWith(".OTPData.json.") && name.endsWith(".tmp")) kill();
  });
  try {
    if (marker === "printed") void device.waitForOutput(/"code"/, 60_000).then(kill, () => {});
    const run = await device.done;
    // The signal may arrive just after the process finished on its own: then it must have succeeded.
    killed = run.code === null;
    if (!killed) expect(run.code, run.stderr).toBe(0);
    // The result is one write of one JSON document: it is there whole, or not at all.
    const printed = run.stdout.trim();
    if (!printed) return { killed };
    const parsed = JSON.parse(printed) as { ok: true; data: { code: string; counter: number } };
    return { killed, printed: { code: parsed.data.code, counter: parsed.data.counter } };
  } finally {
    watcher.close();
  }
}

/** The target account as the file holds it; fails the test on any file that does not read whole. */
async function readTarget(dataFile: string, sealed: boolean): Promise<DeviceAccount> {
  expect(existsSync(dataFile)).toBe(true);
  const file = new OtpDataFile(dataFile);
  if (sealed) expect(await file.unlock(PASSPHRASE)).toEqual({ ok: true });
  const read = await file.read();
  if (!read.ok) throw new Error(`the data file does not read whole: ${read.problem.reason}`);
  return read.accounts.find((account) => account.id === TARGET_ID)!;
}
