import path from "node:path";
import { z } from "zod";
import { absoluteDatabaseUrl, databaseUrlProblem } from "./db/database-url.ts";

/**
 * Hub settings, read from the environment once at start-up. Every setting has a default,
 * so `npm start` needs no configuration; a bad value stops the hub naming the variable.
 */
const portSchema = z.coerce.number({ error: "Must be a port number, 0 to 65535" }).int("Must be a port number, 0 to 65535").min(0, "Must be a port number, 0 to 65535").max(65_535, "Must be a port number, 0 to 65535");

/** Every setting the hub reads from its environment (the README's settings table lists each). */
export const environmentSchema = z.object({
  PAIRGATE_HOST: z.string().min(1).default("127.0.0.1"),
  PAIRGATE_PORT: portSchema.default(8443),
  PAIRGATE_DATA_DIR: z.string().min(1).default("./data"),
  PAIRGATE_CERT_DIR: z.string().min(1).default("./certs"),
  // Unset: the SQLite file <data>/pairgate.db. A postgresql:// URL puts the hub on PostgreSQL.
  // The message never echoes the value, which may hold the database password.
  DATABASE_URL: z
    .string()
    .superRefine((value, context) => {
      const problem = databaseUrlProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    })
    .optional(),
  // bcrypt's own bounds are 4..31; below 10 is for tests only (OWASP asks for at least 10).
  PAIRGATE_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  PAIRGATE_HASH_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  PAIRGATE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  // Unset: messages go to <dataDir>/outbox/ as .eml files. The message never echoes the value,
  // which may hold the SMTP password.
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "Must be an smtp:// or smtps:// URL" }).optional(),
  PAIRGATE_MAIL_FROM: z.string().trim().regex(/@/, "Must be an address such as PairGate <pairgate@example.com>").default("PairGate <pairgate@localhost>"),
  PAIRGATE_REQUIRE_EMAIL_VERIFICATION: z
    .enum(["true", "false", "1", "0"], "Must be true, false, 1 or 0")
    .default("true")
    .transform((value) => value === "true" || value === "1"),
  // Unset: rate limits live in this process's memory and Socket.IO reaches only its own sockets.
  // Set: several hub processes share limits and sockets through this Redis (docs/SCALING.md).
  // The message never echoes the value, which may hold the Redis password.
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: "Must be a redis:// or rediss:// URL" }).optional(),
  // Every key and channel the hub uses in Redis starts with this, so hubs can share one Redis.
  PAIRGATE_REDIS_PREFIX: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, "Must be 1 to 64 letters, digits or _ . : -").default("pairgate"),
  // Unset: no /metrics at all. Set: Prometheus metrics on their own plain-HTTP listener, apart
  // from the hub's public port, on 127.0.0.1 unless PAIRGATE_METRICS_HOST says otherwise.
  PAIRGATE_METRICS_PORT: portSchema.optional(),
  PAIRGATE_METRICS_HOST: z.string().min(1).default("127.0.0.1"),
  // The name authenticator apps show beside this hub's codes (the otpauth:// issuer). A colon
  // would end the issuer inside the URI's label, so it is refused.
  PAIRGATE_ISSUER: z.string().trim().regex(/^[^:\p{C}]{1,64}$/u, "Must be 1 to 64 printable characters, without a colon").default("PairGate"),
});

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  certDir: string;
  /** `file:` and the SQLite file's absolute path, or a postgresql:// URL (see server/db/database-url.ts). */
  databaseUrl: string;
  bcryptCost: number;
  hashThreads: number | undefined;
  logLevel: z.infer<typeof environmentSchema>["PAIRGATE_LOG_LEVEL"];
  /** smtp:// or smtps:// URL of the mail relay; undefined: the outbox folder. */
  smtpUrl: string | undefined;
  mailFrom: string;
  /** Logins wait for the email address to be confirmed. */
  requireEmailVerification: boolean;
  /** redis:// or rediss:// URL shared by every hub process; undefined: one process, in memory. */
  redisUrl: string | undefined;
  /** Start of every Redis key and channel the hub uses. */
  redisPrefix: string;
  /** Where /metrics is served (plain HTTP, apart from the hub's port); undefined: nowhere. */
  metrics: { host: string; port: number } | undefined;
  /** The issuer in the otpauth:// URIs of standard authenticator apps. */
  issuer: string;
}

export class SettingsError extends Error {
  override name = "SettingsError";
}

export function readSettings(environment: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = environmentSchema.safeParse(environment);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new SettingsError(`Invalid settings: ${problems.join("; ")}`);
  }
  const env = parsed.data;
  const dataDir = path.resolve(env.PAIRGATE_DATA_DIR);
  return {
    host: env.PAIRGATE_HOST,
    port: env.PAIRGATE_PORT,
    dataDir,
    certDir: path.resolve(env.PAIRGATE_CERT_DIR),
    databaseUrl: absoluteDatabaseUrl(env.DATABASE_URL ?? `file:${path.join(dataDir, "pairgate.db")}`),
    bcryptCost: env.PAIRGATE_BCRYPT_COST,
    hashThreads: env.PAIRGATE_HASH_THREADS,
    logLevel: env.PAIRGATE_LOG_LEVEL,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.PAIRGATE_MAIL_FROM,
    requireEmailVerification: env.PAIRGATE_REQUIRE_EMAIL_VERIFICATION,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.PAIRGATE_REDIS_PREFIX,
    metrics: env.PAIRGATE_METRICS_PORT === undefined ? undefined : { host: env.PAIRGATE_METRICS_HOST, port: env.PAIRGATE_METRICS_PORT },
    issuer: env.PAIRGATE_ISSUER,
  };
}
