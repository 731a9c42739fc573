import { fileProblemReason } from "../common/file-problems.ts";
import { join } from "node:path";
import { z } from "zod";
import { HOTP_ALGORITHM, HOTP_DIGITS } from "#protocol";
import { pairgateHome, readFileIfExists, writePrivateFileAtomically } from "../terminal/home.ts";
import { withFileLock } from "./file-lock.ts";

export const OTP_DATA_FILE_NAME = "OTPData.json";
const OTP_DATA_VERSION = 1;

/** One paired device: an account on a hub, with the HOTP secret and the token that proves it. */
export const deviceAccountSchema = z.object({
  /** The deviceId the hub gave at binding. */
  id: z.string().min(1),
  hub: z.url({ protocol: /^https$/, error: "Must be an https:// hub address" }),
  /** The CA file trusted for this hub; null means the system's certificate authorities. */
  ca: z.string().min(1).nullable(),
  username: z.string().min(1),
  deviceName: z.string().min(1),
  deviceToken: z.string().min(1),
  /** Base32 (RFC 4648). */
  secret: z.string().regex(/^[A-Z2-7]{16,}=*$/, "Must be an upper-case base32 secret"),
  /** The counter of the next code this device will show (RFC 4226 5.2). */
  counter: z.int().min(0),
  digits: z.literal(HOTP_DIGITS),
  algorithm: z.literal(HOTP_ALGORITHM),
  addedAt: z.iso.datetime(),
  /** Set when the hub unpaired the device; the entry is kept so the person sees what happened. */
  revokedAt: z.iso.datetime().nullable(),
});

export type DeviceAccount = z.output<typeof deviceAccountSchema>;

const otpDataSchema = z
  .object({ version: z.literal(OTP_DATA_VERSION), accounts: z.array(deviceAccountSchema) })
  .refine((data) => new Set(data.accounts.map((account) => account.id)).size === data.accounts.length, {
    message: "Two accounts have the same id",
    path: ["accounts"],
  });

/** Why the data file cannot be used. It is left untouched until the person fixes or moves it. */
export interface OtpDataProblem {
  path: string;
  reason: string;
}

export type OtpDataRead = { ok: true; accounts: DeviceAccount[] } | { ok: false; problem: OtpDataProblem };

/** `--data` / `PAIRGATE_DEVICE_DATA`, else `$PAIRGATE_HOME/OTPData.json`. */
export function otpDataPath(named?: string, env: NodeJS.ProcessEnv = process.env): string {
  return named ?? env.PAIRGATE_DEVICE_DATA ?? join(pairgateHome(env), OTP_DATA_FILE_NAME);
}

export function describeOtpDataProblem(problem: OtpDataProblem): string {
  return `The data file ${problem.path} ${problem.reason}. It was left as it is; nothing will be saved until you fix it or move it away.`;
}

type WriteFile = (path: string, content: string) => Promise<void>;

/**
 * All of this authenticator's accounts, in one JSON file (0600, folder 0700). Every change
 * re-reads the file under a lock and writes it atomically, so a damaged file is never
 * overwritten and two processes sharing it never hand out the same counter.
 */
export class OtpDataFile {
  constructor(
    readonly path: string,
    private readonly write: WriteFile = writePrivateFileAtomically,
  ) {}

  async read(): Promise<OtpDataRead> {
    let text: string | undefined;
    try {
      text = await readFileIfExists(this.path);
    } catch (error) {
      return this.problem(`cannot be read (${reasonOf(error)})`);
    }
    if (text === undefined) return { ok: true, accounts: [] };
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return this.problem(`is not valid JSON (${reasonOf(error)})`);
    }
    const parsed = otpDataSchema.safeParse(json);
    if (!parsed.success) return this.problem(`does not hold valid PairGate accounts (${describeIssues(parsed.error)})`);
    return { ok: true, accounts: parsed.data.accounts };
  }

  /**
   * Applies `change` to the accounts as they are on disk now and saves the result; resolves
   * only once the new content is on disk. Refuses, returning the problem, when the file is damaged.
   * A `change` that returns the very array it was given means "nothing to save".
   */
  async update(change: (accounts: DeviceAccount[]) => DeviceAccount[]): Promise<OtpDataRead> {
    return withFileLock(this.path, async () => {
      const current = await this.read();
      if (!current.ok) return current;
      const changed = change(current.accounts);
      if (changed === current.accounts) return current;
      const accounts = otpDataSchema.parse({ version: OTP_DATA_VERSION, accounts: changed }).accounts;
      await this.write(this.path, `${JSON.stringify({ version: OTP_DATA_VERSION, accounts }, null, 2)}\n`);
      return { ok: true, accounts };
    });
  }

  private problem(reason: string): OtpDataRead {
    return { ok: false, problem: { path: this.path, reason } };
  }
}

/** Flags an account as unpaired by its hub; it stays in the file so the person sees what happened. */
export async function markAccountRevoked(file: OtpDataFile, accountId: string, now = new Date()): Promise<OtpDataRead> {
  return file.update((accounts) => {
    const target = accounts.find((account) => account.id === accountId);
    if (!target || target.revokedAt) return accounts;
    return accounts.map((account) => (account === target ? { ...account, revokedAt: now.toISOString() } : account));
  });
}

/**
 * Removes an account the hub has unpaired. A live account is never removed here: its secret
 * exists nowhere else, and the hub would still count it as paired.
 */
export async function forgetRevokedAccount(file: OtpDataFile, accountId: string): Promise<OtpDataRead> {
  return file.update((accounts) => {
    const target = accounts.find((account) => account.id === accountId);
    if (!target?.revokedAt) return accounts;
    return accounts.filter((account) => account !== target);
  });
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(top level)"}: ${issue.message}`)
    .join("; ");
}

function reasonOf(error: unknown): string {
  return fileProblemReason(error);
}
