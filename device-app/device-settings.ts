import { readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { resolve } from "node:path";
import { DEVICE_NAME_MAX_LENGTH } from "#protocol";
import { fileProblemReason } from "../common/file-problems.ts";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import { homePaths } from "../terminal/home.ts";
import { type HubTarget, resolveHubTarget } from "../terminal/hub-settings.ts";
import { unlockForCommand } from "./data-unlock.ts";
import type { DeviceAccount } from "./otp-data.ts";
import { OtpDataFile, otpDataPath } from "./otp-data.ts";

/** Options every pairgate-device command accepts, defined once on the root program. */
export interface DeviceOptions {
  json?: boolean;
  /** From `--hub` or `PAIRGATE_HUB`: where `bind` pairs. */
  hub?: string;
  /** From `--ca` or `PAIRGATE_CA`: the CA trusted for that hub. */
  ca?: string;
  /** From `--data` or `PAIRGATE_DEVICE_DATA`. */
  data?: string;
}

export function dataFileFor(options: DeviceOptions): OtpDataFile {
  return new OtpDataFile(otpDataPath(options.data));
}

/** The data file, unlocked when it is sealed (see unlockForCommand), for a command to use. */
export async function openDataFile(options: DeviceOptions): Promise<OtpDataFile> {
  const file = dataFileFor(options);
  await unlockForCommand(file);
  return file;
}

/** The name a new device gets unless the person types another: this machine's host name. */
export function defaultDeviceName(): string {
  return hostname().slice(0, DEVICE_NAME_MAX_LENGTH) || "authenticator";
}

/**
 * The hub to pair with, found exactly as the client finds it (`--hub`, `--ca`, then
 * `$PAIRGATE_HOME/ca.pem`, then `./certs/ca.pem`). The CA path is made absolute, because it is
 * stored with the account and used again from other working directories.
 */
export async function resolveBindTarget(hub: string | undefined, ca: string | undefined): Promise<HubTarget> {
  const target = await resolveHubTarget({ hub, ca }, homePaths());
  return { ...target, caFile: target.caFile === undefined ? undefined : resolve(target.caFile) };
}

/** The hub of a paired account, trusting the CA file saved with it (or the system's CAs). */
export async function accountHubTarget(account: DeviceAccount): Promise<HubTarget> {
  if (account.ca === null) return { url: account.hub, ca: undefined, caFile: undefined };
  try {
    return { url: account.hub, ca: await readFile(account.ca, "utf8"), caFile: account.ca };
  } catch (error) {
    throw new CliFailure("ca_unreadable", `Cannot read the CA file ${account.ca} saved for ${account.hub}: ${fileProblemReason(error)}.`, EXIT_CODES.failure);
  }
}
