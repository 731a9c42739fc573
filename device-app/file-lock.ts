import { dirname } from "node:path";
import lockfile from "proper-lockfile";
import { ensurePrivateFolder } from "../terminal/home.ts";

/** How long a writer waits for another one before giving up and saying so. */
export const LOCK_WAIT_MS = 5_000;
const LOCK_RETRY_MS = 50;
// A write takes milliseconds, and the holder refreshes its lock while it works; a lock left this
// long without a refresh belongs to a process that died mid-write.
export const LOCK_STALE_MS = 15_000;

export class FileLockTimeoutError extends Error {
  override readonly name = "FileLockTimeoutError";

  constructor(readonly lockPath: string) {
    super(`Another pairgate-device is writing this file (lock ${lockPath}). If none is running, remove the lock folder.`);
  }
}

/**
 * Runs `work` while holding `<path>.lock` (proper-lockfile: a folder made atomically, kept fresh
 * while held, taken over once stale). The interactive app and a script's `pairgate-device code`
 * may share one data file: without the lock both could read counter N, both save N+1, and both
 * show the same code.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const lockPath = `${path}.lock`;
  await ensurePrivateFolder(dirname(path));
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(path, {
      lockfilePath: lockPath,
      // The data file may not exist yet: the first save creates it under this lock.
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: { retries: Math.ceil(waitMs / LOCK_RETRY_MS), factor: 1, minTimeout: LOCK_RETRY_MS, maxTimeout: LOCK_RETRY_MS },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") throw new FileLockTimeoutError(lockPath);
    throw error;
  }
  try {
    return await work();
  } finally {
    await release();
  }
}
