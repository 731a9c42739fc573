import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileProblemReason } from "../common/file-problems.ts";
import { CliFailure } from "./cli-failure.ts";
import { EXIT_CODES } from "./exit-codes.ts";
import type { GlobalOptions } from "./global-options.ts";
import { fileExists, type HomePaths, packageRoot } from "./home.ts";

export const DEFAULT_HUB_URL = "https://127.0.0.1:8443";

/** Where to reach the hub and which certificate authority to trust for it. */
export interface HubTarget {
  url: string;
  /** PEM of the trusted CA; undefined means the system's trust store. */
  ca: string | undefined;
  caFile: string | undefined;
}

/** `--hub`/`PAIRGATE_HUB`, else the hub of the saved session, else the default. */
export async function resolveHubTarget(options: GlobalOptions, paths: HomePaths, sessionHub?: string): Promise<HubTarget> {
  const url = normalizeHubUrl(options.hub ?? sessionHub ?? DEFAULT_HUB_URL);
  const caFile = await findCaFile(options.ca, paths);
  if (caFile === undefined) return { url, ca: undefined, caFile };
  try {
    return { url, ca: await readFile(caFile, "utf8"), caFile };
  } catch (error) {
    throw new CliFailure("ca_unreadable", `Cannot read the CA file ${caFile}: ${fileProblemReason(error)}. Check --ca or PAIRGATE_CA.`, EXIT_CODES.usage);
  }
}

/** The hub's origin; only https is accepted, because TLS is never switched off. */
export function normalizeHubUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw usage(`"${raw}" is not a hub address; use the form https://host:port.`);
  }
  if (url.protocol !== "https:") throw usage(`The hub address must start with https:// (got "${raw}").`);
  if (url.pathname !== "/" || url.search || url.hash) throw usage(`Give the hub as https://host:port, without a path (got "${raw}").`);
  return url.origin;
}

/**
 * The CA file to trust: the one named, else `$PAIRGATE_HOME/ca.pem`, else `./certs/ca.pem`,
 * else `certs/ca.pem` in the package (where a hub run from this checkout writes its CA).
 */
export async function findCaFile(named: string | undefined, paths: HomePaths, cwd: string = process.cwd()): Promise<string | undefined> {
  if (named) return named;
  const candidates = [paths.ca, join(cwd, "certs", "ca.pem"), join(packageRoot(), "certs", "ca.pem")];
  for (const candidate of candidates) {
    if (await fileExists(candidate)) return candidate;
  }
  return undefined;
}

function usage(message: string): CliFailure {
  return new CliFailure("invalid_hub_address", message, EXIT_CODES.usage);
}
