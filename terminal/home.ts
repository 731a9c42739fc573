import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { PACKAGE_ROOT } from "../common/package-files.ts";

/** State files are readable by their owner only: they hold a private key and a session token. */
export const STATE_FILE_MODE = 0o600;
export const STATE_FOLDER_MODE = 0o700;

export interface HomePaths {
  home: string;
  privateKey: string;
  publicKey: string;
  session: string;
  ca: string;
}

/** `$PAIRGATE_HOME`, else `$XDG_CONFIG_HOME/pairgate`, else `~/.config/pairgate`. */
export function pairgateHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PAIRGATE_HOME) return env.PAIRGATE_HOME;
  const configHome = env.XDG_CONFIG_HOME || join(homedir(), ".config");
  return join(configHome, "pairgate");
}

export function homePaths(home: string = pairgateHome()): HomePaths {
  return {
    home,
    privateKey: join(home, "private-key.pem"),
    publicKey: join(home, "public-key.pem"),
    session: join(home, "session.json"),
    ca: join(home, "ca.pem"),
  };
}

/** The folder holding package.json, whether run from a checkout, from dist/ or installed. */
export function packageRoot(): string {
  return PACKAGE_ROOT;
}

/** Creates the folder 0700, and tightens it if it already exists with wider permissions. */
export async function ensurePrivateFolder(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: STATE_FOLDER_MODE });
  const { mode } = await stat(folder);
  if ((mode & 0o077) !== 0) await chmod(folder, STATE_FOLDER_MODE);
}

/**
 * Writes through a temporary file in the same folder, synced, then renames it over the target
 * and syncs the folder, so a crash, a power cut or a full disk never leaves half a key, half a
 * session or half a counter file behind, and a write that returned is the one found afterwards.
 */
export async function writePrivateFileAtomically(path: string, content: string): Promise<void> {
  await ensurePrivateFolder(dirname(path));
  const temporary = join(dirname(path), `${temporaryPrefix(path)}${randomBytes(6).toString("hex")}.tmp`);
  const handle = await open(temporary, "wx", STATE_FILE_MODE);
  try {
    await handle.writeFile(content, "utf8");
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temporary, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(dirname(path));
}

const temporaryPrefix = (path: string) => `.${basename(path)}.`;

/**
 * Deletes the temporary files of writes to `path` that a crash cut short: they may hold a copy of
 * the secrets. Only for a caller that holds the file's lock, so that no write is in progress.
 */
export async function removeAbandonedTemporaries(path: string): Promise<void> {
  const prefix = temporaryPrefix(path);
  let names: string[];
  try {
    names = await readdir(dirname(path));
  } catch (error) {
    if (isMissingFile(error)) return;
    throw error;
  }
  const abandoned = names.filter((name) => name.startsWith(prefix) && name.endsWith(".tmp"));
  await Promise.all(abandoned.map((name) => rm(join(dirname(path), name), { force: true })));
}

/** The rename is only durable once the folder's entry is on disk (POSIX); Windows cannot open a folder. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(folder, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function readFileIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (isMissingFile(error)) return false;
    throw error;
  }
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === "ENOENT";
}
