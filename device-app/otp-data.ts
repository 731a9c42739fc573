import { fileProblemReason } from "../common/file-problems.ts";
import { join } from "node:path";
import { z } from "zod";
import { HOTP_ALGORITHM, HOTP_DIGITS } from "#protocol";
import { pairgateHome, readFileIfExists, removeAbandonedTemporaries, writePrivateFileAtomically } from "../terminal/home.ts";
import { withFileLock } from "./file-lock.ts";
import { type ImportedCode, importedCodeSchema } from "./imported-code.ts";
import { keyFitsEnvelope, readEnvelope, type SealKey, seal, deriveSealKey, unseal } from "./sealed-data.ts";

export const OTP_DATA_FILE_NAME = "OTPData.json";
/** Lets scripts open a sealed data file without a terminal. */
export const PASSPHRASE_ENV = "PAIRGATE_DEVICE_PASSPHRASE";

/** One paired device: an account on a hub, with the HOTP secret and the token that proves it. */
export const deviceAccountSchema = z.object({
  /** The deviceId the hub gave at binding. */
  id: z.string().min(1),
  hub: z.url({ protocol: /^https$/, error: "Must be an https:// hub address" }),
  /** The CA file trusted for this hub; null means the system's certificate authorities. */
  ca: z
    .string()
    .min(1)
    // A certificate pasted in by hand would otherwise come back whole in the "cannot read" message.
    .refine((value) => !value.includes("\n"), "Must be the path of the hub's CA file, not the certificate itself")
    .nullable(),
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

const uniqueIds = (items: { id: string }[]) => new Set(items.map((item) => item.id)).size === items.length;

// Version 2 adds imported codes; a file without any is still written as version 1, so that an
// older pairgate-device keeps reading it (and refuses, rather than drops, what it does not know).
const otpDataSchema = z
  .discriminatedUnion("version", [
    z.object({ version: z.literal(1), accounts: z.array(deviceAccountSchema) }),
    z.object({ version: z.literal(2), accounts: z.array(deviceAccountSchema), imported: z.array(importedCodeSchema) }),
  ])
  .refine((data) => uniqueIds(data.accounts), { message: "Two accounts have the same id", path: ["accounts"] })
  .refine((data) => data.version === 1 || uniqueIds(data.imported), { message: "Two imported codes have the same id", path: ["imported"] });

/** Everything the data file holds. */
export interface OtpData {
  accounts: DeviceAccount[];
  imported: ImportedCode[];
}

/** Why the data file cannot be used. It is left untouched until the person fixes or moves it. */
export interface OtpDataProblem {
  path: string;
  reason: string;
  /** The file is sealed with a passphrase that this process has not been given yet. */
  locked?: true;
}

export type OtpDataRead = ({ ok: true } & OtpData) | { ok: false; problem: OtpDataProblem };

export type UnlockResult = { ok: true } | { ok: false; reason: "wrong_passphrase" } | { ok: false; reason: "problem"; problem: OtpDataProblem };

/** `--data` / `PAIRGATE_DEVICE_DATA`, else `$PAIRGATE_HOME/OTPData.json`. */
export function otpDataPath(named?: string, env: NodeJS.ProcessEnv = process.env): string {
  return named ?? env.PAIRGATE_DEVICE_DATA ?? join(pairgateHome(env), OTP_DATA_FILE_NAME);
}

export function describeOtpDataProblem(problem: OtpDataProblem): string {
  if (problem.locked) return `The data file ${problem.path} is protected by a passphrase. ${UNLOCK_HINT}`;
  return `The data file ${problem.path} ${problem.reason}. It was left as it is; nothing will be saved until you fix it or move it away.`;
}

export const UNLOCK_HINT = `The app asks for it; commands read it from ${PASSPHRASE_ENV} or ask on a terminal.`;

export function describeWrongPassphrase(path: string): string {
  return `That passphrase does not open ${path}. Nothing was read or changed; try again.`;
}

type WriteFile = (path: string, content: string) => Promise<void>;
type Loaded = { ok: true; data: OtpData; sealed: boolean } | { ok: false; problem: OtpDataProblem };

/**
 * All of this authenticator's accounts and imported codes, in one JSON file (0600, folder 0700),
 * optionally sealed with a passphrase (sealed-data.ts). Every change re-reads the file under a
 * lock and writes it atomically, so a damaged file is never overwritten and two processes
 * sharing it never hand out the same counter. A sealed file stays sealed, a plain one plain:
 * only `reseal` (the passphrase commands) changes which.
 */
export class OtpDataFile {
  private sealKey: SealKey | undefined;

  constructor(
    readonly path: string,
    private readonly write: WriteFile = writePrivateFileAtomically,
  ) {}

  /** Whether the file on disk is sealed, and whether this process can open it. */
  async protection(): Promise<{ ok: true; sealed: boolean; unlocked: boolean } | { ok: false; problem: OtpDataProblem }> {
    const text = await this.readText();
    if (typeof text !== "string") return text ?? { ok: true, sealed: false, unlocked: true };
    const envelope = readEnvelope(text);
    if (envelope.kind === "damaged") return { ok: false, problem: this.problemOf(`is a sealed file with a damaged header (${envelope.reason})`) };
    if (envelope.kind === "plain") return { ok: true, sealed: false, unlocked: true };
    return { ok: true, sealed: true, unlocked: this.sealKey !== undefined && keyFitsEnvelope(this.sealKey, envelope.envelope) };
  }

  /**
   * Derives the key from `passphrase` with the file's own salt and cost and keeps it for this
   * process's later reads and writes. Never writes: a wrong passphrase leaves the file as it was.
   */
  async unlock(passphrase: string): Promise<UnlockResult> {
    const text = await this.readText();
    if (typeof text !== "string") return text ? { ok: false, reason: "problem", problem: text.problem } : { ok: true };
    const envelope = readEnvelope(text);
    if (envelope.kind === "damaged") return { ok: false, reason: "problem", problem: this.problemOf(`is a sealed file with a damaged header (${envelope.reason})`) };
    if (envelope.kind === "plain") return { ok: true };
    const candidate = await deriveSealKey(passphrase, envelope.envelope.kdf);
    if (unseal(envelope.envelope, candidate) === undefined) return { ok: false, reason: "wrong_passphrase" };
    this.sealKey = candidate;
    return { ok: true };
  }

  async read(): Promise<OtpDataRead> {
    const loaded = await this.load();
    return loaded.ok ? { ok: true, ...loaded.data } : loaded;
  }

  /**
   * Applies `change` to the accounts as they are on disk now and saves the result; resolves
   * only once the new content is on disk. Refuses, returning the problem, when the file is damaged.
   * A `change` that returns the very array it was given means "nothing to save".
   */
  async update(change: (accounts: DeviceAccount[]) => DeviceAccount[]): Promise<OtpDataRead> {
    return this.change((data) => ({ ...data, accounts: change(data.accounts) }));
  }

  /** As `update`, for the imported codes. */
  async updateImported(change: (imported: ImportedCode[]) => ImportedCode[]): Promise<OtpDataRead> {
    return this.change((data) => ({ ...data, imported: change(data.imported) }));
  }

  /**
   * Writes the same content sealed under `newKey`, or plain when it is null: setting, changing
   * and removing the passphrase. A sealed file must have been unlocked first.
   */
  async reseal(newKey: SealKey | null): Promise<OtpDataRead> {
    return withFileLock(this.path, async () => {
      const current = await this.load();
      if (!current.ok) return current;
      await this.save(serialize(current.data, newKey ?? undefined));
      this.sealKey = newKey ?? undefined;
      return { ok: true, ...current.data };
    });
  }

  private async change(change: (data: OtpData) => OtpData): Promise<OtpDataRead> {
    return withFileLock(this.path, async () => {
      const current = await this.load();
      if (!current.ok) return current;
      const changed = change(current.data);
      if (changed.accounts === current.data.accounts && changed.imported === current.data.imported) return { ok: true, ...current.data };
      const data = checked(changed);
      await this.save(serialize(data, current.sealed ? this.sealKey : undefined));
      return { ok: true, ...data };
    });
  }

  /** Under the lock: a write a crash cut short left its temporary file, which the next save clears. */
  private async save(content: string): Promise<void> {
    await removeAbandonedTemporaries(this.path);
    await this.write(this.path, content);
  }

  private async load(): Promise<Loaded> {
    const text = await this.readText();
    if (typeof text !== "string") return text ?? { ok: true, data: { accounts: [], imported: [] }, sealed: false };
    const envelope = readEnvelope(text);
    if (envelope.kind === "damaged") return { ok: false, problem: this.problemOf(`is a sealed file with a damaged header (${envelope.reason})`) };
    if (envelope.kind === "plain") return this.parse(text, false);
    if (!this.sealKey) return { ok: false, problem: { path: this.path, reason: "is protected by a passphrase", locked: true } };
    if (!keyFitsEnvelope(this.sealKey, envelope.envelope)) {
      return { ok: false, problem: this.problemOf("was sealed with another passphrase after this program unlocked it; start it again to unlock it") };
    }
    const plaintext = unseal(envelope.envelope, this.sealKey);
    if (plaintext === undefined) return { ok: false, problem: this.problemOf("was altered: its seal does not match its content") };
    return this.parse(plaintext, true);
  }

  private parse(text: string, sealed: boolean): Loaded {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { ok: false, problem: this.problemOf(`is not valid JSON (${reasonOf(error)})`) };
    }
    const parsed = otpDataSchema.safeParse(json);
    if (!parsed.success) return { ok: false, problem: this.problemOf(`does not hold valid PairGate accounts (${describeIssues(parsed.error)})`) };
    const imported = parsed.data.version === 2 ? parsed.data.imported : [];
    return { ok: true, data: { accounts: parsed.data.accounts, imported }, sealed };
  }

  /** The file's text; undefined when there is no file yet; the problem when it cannot be read. */
  private async readText(): Promise<string | undefined | { ok: false; problem: OtpDataProblem }> {
    try {
      return await readFileIfExists(this.path);
    } catch (error) {
      return { ok: false, problem: this.problemOf(`cannot be read (${reasonOf(error)})`) };
    }
  }

  private problemOf(reason: string): OtpDataProblem {
    return { path: this.path, reason };
  }
}

function checked(data: OtpData): OtpData {
  const parsed = otpDataSchema.parse({ version: 2, ...data });
  return { accounts: parsed.accounts, imported: parsed.version === 2 ? parsed.imported : [] };
}

function serialize(data: OtpData, sealKey: SealKey | undefined): string {
  const document = data.imported.length === 0 ? { version: 1, accounts: data.accounts } : { version: 2, ...data };
  const text = `${JSON.stringify(document, null, 2)}\n`;
  return sealKey ? seal(text, sealKey) : text;
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
