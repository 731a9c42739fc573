import path from "node:path";
import { z } from "zod";

/**
 * Hub settings, read from the environment once at start-up. Every setting has a default,
 * so `npm start` needs no configuration; a bad value stops the hub naming the variable.
 */
const portSchema = z.coerce.number().int().min(0).max(65_535);

const environmentSchema = z.object({
  PAIRGATE_HOST: z.string().min(1).default("127.0.0.1"),
  PAIRGATE_PORT: portSchema.default(8443),
  PAIRGATE_DATA_DIR: z.string().min(1).default("./data"),
  PAIRGATE_CERT_DIR: z.string().min(1).default("./certs"),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, "Must be a SQLite URL such as file:./data/pairgate.db")
    .optional(),
  // bcrypt's own bounds are 4..31; below 10 is for tests only (OWASP asks for at least 10).
  PAIRGATE_BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  PAIRGATE_HASH_THREADS: z.coerce.number().int().min(1).max(64).optional(),
  PAIRGATE_LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export interface Settings {
  host: string;
  port: number;
  dataDir: string;
  certDir: string;
  databaseFile: string;
  bcryptCost: number;
  hashThreads: number | undefined;
  logLevel: z.infer<typeof environmentSchema>["PAIRGATE_LOG_LEVEL"];
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
    databaseFile: env.DATABASE_URL ? path.resolve(env.DATABASE_URL.slice("file:".length)) : path.join(dataDir, "pairgate.db"),
    bcryptCost: env.PAIRGATE_BCRYPT_COST,
    hashThreads: env.PAIRGATE_HASH_THREADS,
    logLevel: env.PAIRGATE_LOG_LEVEL,
  };
}
