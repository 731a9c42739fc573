import { hkdfSync, randomBytes } from "node:crypto";
import { linkSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { SettingsError } from "./config.ts";
import { ensurePrivateDir, writeFileAtomic } from "./files.ts";

/**
 * The hub key: 32 bytes from which the keys for secrets at rest are derived. From
 * PAIRGATE_SECRET_KEY (base64) when set, which several hub processes must share; otherwise
 * from `<dataDir>/secret.key` (0600), made on first use. A copy of the database without this key
 * reveals no device secret; losing the key makes every paired device's secret unreadable.
 */
export const HUB_KEY_BYTES = 32;
export const HUB_KEY_FILE_NAME = "secret.key";
export const HUB_KEY_VARIABLE = "PAIRGATE_SECRET_KEY";

/** One derived key per use, so that a key never serves two purposes. */
export type KeyPurpose = "hotp-secrets" | "code-hashes" | "email-codes" | "recovery-codes" | "retired-keys";
const KEY_PURPOSES: readonly KeyPurpose[] = ["hotp-secrets", "code-hashes", "email-codes", "recovery-codes", "retired-keys"];

export function loadHubKey(settings: { dataDir: string }, env: NodeJS.ProcessEnv = process.env): Buffer {
  const fromEnvironment = env[HUB_KEY_VARIABLE];
  if (fromEnvironment !== undefined) {
    const key = parseHubKey(fromEnvironment);
    if (!key) throw new SettingsError(`${HUB_KEY_VARIABLE} must be the base64 of exactly ${HUB_KEY_BYTES} bytes (make one with \`openssl rand -base64 32\`)`);
    return key;
  }
  return readOrCreateKeyFile(path.join(settings.dataDir, HUB_KEY_FILE_NAME));
}

export type HubKeySource = { kind: "environment" } | { kind: "file"; file: string };

/**
 * The hub key as loadHubKey would find it, without making one: undefined when neither
 * PAIRGATE_SECRET_KEY nor the key file exists. For the commands that inspect or change it.
 */
export function findHubKey(settings: { dataDir: string }, env: NodeJS.ProcessEnv = process.env): { key: Buffer; source: HubKeySource } | undefined {
  if (env[HUB_KEY_VARIABLE] !== undefined) return { key: loadHubKey(settings, env), source: { kind: "environment" } };
  const file = hubKeyFile(settings);
  const key = readKeyFile(file);
  return key ? { key, source: { kind: "file", file } } : undefined;
}

export const hubKeyFile = (settings: { dataDir: string }) => path.join(settings.dataDir, HUB_KEY_FILE_NAME);

/** The key file's text for a key: base64 and a newline, as the hub writes it. */
export const hubKeyText = (key: Buffer) => `${key.toString("base64")}\n`;

/** A fresh hub key from the CSPRNG. */
export const newHubKey = () => randomBytes(HUB_KEY_BYTES);

/** HKDF-SHA256 (RFC 5869); the purpose and a version are the `info`, the hub key is already uniform. */
export function deriveKey(hubKey: Buffer, purpose: KeyPurpose): Buffer {
  if (!Buffer.isBuffer(hubKey) || hubKey.length !== HUB_KEY_BYTES) throw new TypeError(`The hub key must be a Buffer of ${HUB_KEY_BYTES} bytes`);
  if (!KEY_PURPOSES.includes(purpose)) throw new TypeError(`Unknown key purpose ${JSON.stringify(purpose)}`);
  return Buffer.from(hkdfSync("sha256", hubKey, Buffer.alloc(0), `pairgate:${purpose}:v1`, HUB_KEY_BYTES));
}

/** Strict base64 of exactly 32 bytes, padding optional; undefined for anything else. */
function parseHubKey(text: string): Buffer | undefined {
  const value = text.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const key = Buffer.from(value, "base64");
  if (key.length !== HUB_KEY_BYTES) return undefined;
  return key.toString("base64").replace(/=+$/, "") === value.replace(/=+$/, "") ? key : undefined;
}

/**
 * The key file holds the key in base64, so it can be moved into PAIRGATE_SECRET_KEY when the
 * hub scales out. It is written atomically under a private name and then hard-linked into place:
 * a link never replaces an existing file, so two processes starting at once agree on one key.
 */
function readOrCreateKeyFile(file: string): Buffer {
  const existing = readKeyFile(file);
  if (existing) return existing;
  ensurePrivateDir(path.dirname(file));
  const staged = `${file}.${randomBytes(6).toString("hex")}.new`;
  writeFileAtomic(staged, `${randomBytes(HUB_KEY_BYTES).toString("base64")}\n`, 0o600);
  try {
    linkSync(staged, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    rmSync(staged, { force: true });
  }
  const key = readKeyFile(file);
  if (!key) throw new Error(`${file} vanished while it was being created`);
  return key;
}

export function readKeyFile(file: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  const key = parseHubKey(text);
  if (!key) throw new SettingsError(`${file} does not hold the base64 of a ${HUB_KEY_BYTES}-byte key; restore it from a backup (without it, no device's codes can be checked)`);
  return key;
}
