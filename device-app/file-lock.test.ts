import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readdir, rm, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileLockTimeoutError, LOCK_STALE_MS, withFileLock } from "./file-lock.ts";
import { OTP_DATA_FILE_NAME, OtpDataFile } from "./otp-data.ts";
import { sampleAccount } from "../test/support/device-account.ts";

let folder: string;
let path: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-lock-"));
  path = join(folder, OTP_DATA_FILE_NAME);
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("withFileLock", () => {
  it("lets one writer in at a time, so no counter step is lost", async () => {
    const file = new OtpDataFile(path);
    await file.update(() => [sampleAccount({ counter: 0 })]);

    await Promise.all(Array.from({ length: 20 }, () => file.update((accounts) => accounts.map((account) => ({ ...account, counter: account.counter + 1 })))));

    expect(await file.read()).toMatchObject({ ok: true, accounts: [{ counter: 20 }] });
    expect(await readdir(folder)).toEqual([OTP_DATA_FILE_NAME]);
  });

  it("holds off a writer in another process until the holder is done", async () => {
    let holding!: () => void;
    const held = new Promise<void>((resolve) => (holding = resolve));
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    const holder = withFileLock(path, async () => {
      holding();
      await done;
    });
    await held;
    // Another process, as a script's `pairgate-device code` next to the running app would be.
    const other = new Promise<string>((resolve) => {
      const script = `import("proper-lockfile").then(({ default: l }) => l.check(${JSON.stringify(path)}, { lockfilePath: ${JSON.stringify(`${path}.lock`)}, realpath: false })).then((locked) => console.log(locked))`;
      execFile(process.execPath, ["--input-type=module", "-e", script], { cwd: import.meta.dirname }, (_error, stdout) => resolve(stdout.trim()));
    });
    expect(await other).toBe("true");
    finish();
    await holder;
    await expect(withFileLock(path, async () => "mine")).resolves.toBe("mine");
  });

  it("says who holds the file when the wait runs out", async () => {
    let finish!: () => void;
    const holder = withFileLock(path, () => new Promise<void>((resolve) => (finish = resolve)));
    await expect.poll(() => readdir(folder)).toContain(`${OTP_DATA_FILE_NAME}.lock`);

    await expect(withFileLock(path, async () => "never", 300)).rejects.toThrow(FileLockTimeoutError);
    finish();
    await holder;
  });

  it("takes over a lock left by a process that died mid-write", async () => {
    const lockPath = `${path}.lock`;
    await mkdir(lockPath);
    const longAgo = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    await utimes(lockPath, longAgo, longAgo);

    await expect(withFileLock(path, async () => "taken over", 300)).resolves.toBe("taken over");
    expect(await readdir(folder)).toEqual([]);
  });
});
