import { readFileSync } from "node:fs";
import path from "node:path";
import { environmentSchema, readSettings, SettingsError, type Settings } from "./config.ts";

/**
 * The hub's optional settings file (`--config FILE` or PAIRGATE_CONFIG): the same settings as the
 * environment, under the same names, so there is one schema (config.ts) and one table in the
 * docs. The environment overrides the file, as a service manager's `Environment=` is expected to.
 *
 * Two forms: a JSON object (`{ "PAIRGATE_PORT": 8443 }`), or lines `NAME = value` with `#`
 * comments, where a value is a number, true/false, a "double-quoted string" (JSON escapes) or the
 * rest of the line.
 */
export const CONFIG_VARIABLE = "PAIRGATE_CONFIG";

// Only in the environment: the hub key seals every device secret, and a settings file is read
// by more people and tools than the key should be (docs/OPERATIONS.md).
const ENVIRONMENT_ONLY = new Set(["PAIRGATE_SECRET_KEY", CONFIG_VARIABLE]);
const KNOWN_NAMES = new Set(Object.keys(environmentSchema.shape));
const LINE = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** Settings from the environment over the settings file, if one is named. */
export function loadSettings(environment: NodeJS.ProcessEnv = process.env, configFile = environment[CONFIG_VARIABLE]): Settings {
  if (!configFile) return readSettings(environment);
  const fromFile = readSettingsFile(path.resolve(configFile));
  try {
    return readSettings({ ...fromFile, ...definedOnly(environment) });
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    throw new SettingsError(`${error.message} (from the environment or ${configFile})`);
  }
}

/** The file's settings as environment strings; a SettingsError naming the file and the line otherwise. */
export function readSettingsFile(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "there is no such file" : code === "EACCES" ? "it may not be read by this user" : (error as Error).message;
    throw new SettingsError(`Cannot read the settings file ${file}: ${why}.`);
  }
  const entries = looksLikeJson(text.trimStart()) ? jsonEntries(file, text) : lineEntries(file, text);
  const settings: Record<string, string> = {};
  for (const [name, value, where] of entries) {
    if (ENVIRONMENT_ONLY.has(name)) throw new SettingsError(`${where}: ${name} may only be set in the environment, not in a settings file.`);
    if (!KNOWN_NAMES.has(name)) throw new SettingsError(`${where}: ${name} is not a setting (the names are those of the environment variables, such as PAIRGATE_PORT).`);
    settings[name] = value;
  }
  return settings;
}

type Entry = [name: string, value: string, where: string];

/** An object, or an array that parses (refused as such); `[section]` lines are the other form's. */
function looksLikeJson(text: string): boolean {
  if (text.startsWith("{")) return true;
  if (!text.startsWith("[")) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function jsonEntries(file: string, text: string): Entry[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`${file} is not valid JSON: ${(error as Error).message}.`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new SettingsError(`${file} must hold one JSON object of settings.`);
  return Object.entries(parsed).map(([name, value]) => {
    if (!["string", "number", "boolean"].includes(typeof value)) throw new SettingsError(`${file}: ${name} must be a string, a number or true/false.`);
    return [name, String(value), file];
  });
}

function lineEntries(file: string, text: string): Entry[] {
  const entries: Entry[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const where = `${file}, line ${index + 1}`;
    const match = LINE.exec(line);
    if (!match) throw new SettingsError(`${where}: expected NAME = value (sections and other syntax are not supported).`);
    entries.push([match[1]!, lineValue(match[2]!.trim(), where), where]);
  });
  return entries;
}

function lineValue(value: string, where: string): string {
  if (!value.startsWith('"')) return value.replace(/\s+#.*$/, "");
  const end = closingQuote(value);
  if (end < 0) throw new SettingsError(`${where}: the quoted value has no closing quote.`);
  const rest = value.slice(end + 1).trim();
  if (rest !== "" && !rest.startsWith("#")) throw new SettingsError(`${where}: unexpected text after the quoted value.`);
  try {
    return JSON.parse(value.slice(0, end + 1)) as string;
  } catch {
    throw new SettingsError(`${where}: the quoted value has an invalid escape.`);
  }
}

function closingQuote(value: string): number {
  for (let i = 1; i < value.length; i += 1) {
    if (value[i] === "\\") i += 1;
    else if (value[i] === '"') return i;
  }
  return -1;
}

function definedOnly(environment: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter((entry): entry is [string, string] => entry[1] !== undefined));
}
