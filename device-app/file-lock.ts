import { open, rm, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { ensurePrivateFolder } from "../terminal/home.ts";

/** How long a writer waits for another one before giving up and saying so. */
export const LOCK_WAIT_MS = 5_000;
const LOCK_POLL_MS = 25;
// A write takes milliseconds; a lock this old was left by a process that died mid-write.
export const LOCK_STALE_MS = 15_000;

export class FileLockTimeoutError extends Error {
  override readonly name = "FileLockTimeoutError";

  constructor(readonly lockPath: string) {
    super(`Another pairgate-device is writing this file (lock ${lockPath}). If none is running, remove the lock file.`);
  }
}

/**
 * Runs `work` while holding `<path>.lock`, created with O_EXCL. The interactive app and a
 * script's `pairgate-device code` may share one data file: without the lock both could read
 * counter N, both save N+1, and both show the same code.
 */
export async function withFileLock<T>(path: string, work: () => Promise<T>, waitMs = LOCK_WAIT_MS): Promise<T> {
  const lockPath = `${path}.lock`;
  await ensurePrivateFolder(dirname(path));
  const deadline = Date.now() + waitMs;
  for (;;) {
    const handle = await open(lockPath, "wx", 0o600).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "EEXIST") return undefined;
      throw error;
    });
    if (handle) {
      try {
        await handle.writeFile(`${process.pid}\n`);
        return await work();
      } finally {
        await handle.close();
        await rm(lockPath, { force: true });
      }
    }
    if (await isStale(lockPath)) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() >= deadline) throw new FileLockTimeoutError(lockPath);
    await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > LOCK_STALE_MS;
  } catch (error) {
    // Removed meanwhile: the next attempt takes it.
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
