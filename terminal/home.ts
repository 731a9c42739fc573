import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, rm, stat } from "node:fs/promises";
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
 * Writes through a temporary file in the same folder, then renames it over the target, so a
 * crash or a full disk never leaves half a key or half a session file behind.
 */
export async function writePrivateFileAtomically(path: string, content: string): Promise<void> {
  await ensurePrivateFolder(dirname(path));
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
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
