import { randomBytes } from "node:crypto";
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import path from "node:path";

/**
 * Writes a file so that readers see the old content or the new, never half of either:
 * a temporary file with the final mode, flushed, then renamed over the target.
 */
export function writeFileAtomic(file: string, content: string | Buffer, mode = 0o600): void {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
  const fd = openSync(temporary, "wx", mode);
  try {
    writeSync(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, file);
}

/**
 * Creates a private folder (0700) and its parents. A folder that already exists but lets
 * other users in (it holds the database and the hub key) is made private; answers its former
 * mode when it had to, else null. A folder it may not change stops the hub with the reason.
 */
export function ensurePrivateDir(dir: string): number | null {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const mode = statSync(dir).mode & 0o777;
  if ((mode & 0o077) === 0) return null;
  try {
    chmodSync(dir, 0o700);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The folder ${dir} is open to other users (mode ${mode.toString(8).padStart(4, "0")}) and could not be made private (0700): ${reason}. Run \`chmod 700 ${dir}\` as its owner, or choose another folder.`,
    );
  }
  return mode;
}
