import { randomBytes, randomUUID } from "node:crypto";
import { generateHotp } from "#otp";
import { HOTP_SECRET_BYTES, SESSION_ABSOLUTE_TTL_SECONDS } from "#protocol";
import type { Database } from "../../../server/db/client.ts";
import { secretAssociatedData } from "../../../server/devices/devices.ts";
import { generateDeviceToken, hashDeviceToken } from "../../../server/devices/device-tokens.ts";
import { sealSecret } from "../../../server/devices/secret-box.ts";
import { generateSessionToken, hashSessionToken } from "../../../server/sessions/session-tokens.ts";

/**
 * Accounts, devices and sessions written straight into a hub's database: registering through
 * the protocol would hit the per-address registration limit long before 10,000 devices, and
 * would spend minutes hashing passwords that the benchmarks only need to check.
 */
export const BENCH_PASSWORD = "violet-ember-canyon-42";
/** Rows per createMany, well under SQLite's and PostgreSQL's bound-parameter limits. */
const ROWS_PER_BATCH = 500;

export interface BenchAccount {
  userId: string;
  username: string;
  password: string;
}

/** A paired authenticator as the benchmark holds it; `nextCode` advances its counter. */
export interface BenchDevice {
  deviceId: string;
  deviceToken: string;
  nextCode(): string;
}

export async function seedAccounts(db: Database, prefix: string, count: number, passwordHash: string): Promise<BenchAccount[]> {
  const accounts = Array.from({ length: count }, (_, index) => ({ userId: randomUUID(), username: `${prefix}-${index}`, password: BENCH_PASSWORD }));
  const now = new Date();
  const rows = accounts.map(({ userId, username }) => ({ id: userId, username, email: `${username}@bench.invalid`, passwordHash, emailVerifiedAt: now }));
  for (const batch of batches(rows)) await db.user.createMany({ data: batch });
  return accounts;
}

/** One paired device per account, at counter 0, its secret sealed as the hub seals it. */
export async function seedDevices(db: Database, hotpSecretsKey: Buffer, accounts: readonly BenchAccount[]): Promise<BenchDevice[]> {
  const made = accounts.map((account) => {
    const deviceId = randomUUID();
    const secret = randomBytes(HOTP_SECRET_BYTES);
    const deviceToken = generateDeviceToken();
    const row = {
      id: deviceId,
      userId: account.userId,
      name: "bench authenticator",
      tokenHash: hashDeviceToken(deviceToken),
      sealedSecret: sealSecret(hotpSecretsKey, secret, secretAssociatedData(deviceId)),
    };
    let counter = 0;
    const device: BenchDevice = { deviceId, deviceToken, nextCode: () => generateHotp(secret, counter++) };
    return { row, device };
  });
  for (const batch of batches(made.map(({ row }) => row))) await db.device.createMany({ data: batch });
  return made.map(({ device }) => device);
}

/** Registers a client key for the account, as `account:register` would have stored it. */
export async function seedClientKey(db: Database, account: BenchAccount, publicKeyPem: string, fingerprint: string): Promise<void> {
  await db.clientKey.create({ data: { id: randomUUID(), userId: account.userId, publicKeyPem, fingerprint } });
}

/** A live session per account; the tokens open authenticated `/client` sockets. */
export async function seedSessions(db: Database, accounts: readonly BenchAccount[]): Promise<string[]> {
  const expiresAt = new Date(Date.now() + SESSION_ABSOLUTE_TTL_SECONDS * 1000);
  const tokens = accounts.map(() => generateSessionToken());
  const rows = accounts.map((account, index) => ({ id: randomUUID(), userId: account.userId, tokenHash: hashSessionToken(tokens[index]!), expiresAt, address: "127.0.0.1" }));
  for (const batch of batches(rows)) await db.session.createMany({ data: batch });
  return tokens;
}

function batches<T>(rows: T[]): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_BATCH) result.push(rows.slice(start, start + ROWS_PER_BATCH));
  return result;
}
