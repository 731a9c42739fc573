import path from "node:path";

/**
 * DATABASE_URL names the hub's database: a SQLite file (`file:./data/pairgate.db`, the default)
 * or a PostgreSQL database (`postgresql://user:password@host:5432/pairgate?schema=public`).
 */
export type DatabaseProvider = "sqlite" | "postgresql";

const POSTGRES_URL = /^postgres(ql)?:\/\//;
const DEFAULT_POSTGRES_SCHEMA = "public";

/** A `file:` URL or a plain path is SQLite; postgresql:// and postgres:// are PostgreSQL. */
export function databaseProvider(databaseUrl: string): DatabaseProvider {
  return POSTGRES_URL.test(databaseUrl) ? "postgresql" : "sqlite";
}

/** Why DATABASE_URL cannot be used, or undefined. Never repeats the value: it may hold a password. */
export function databaseUrlProblem(databaseUrl: string): string | undefined {
  if (databaseUrl.startsWith("file:")) return databaseUrl.length > "file:".length ? undefined : "Must name a file, such as file:./data/pairgate.db";
  if (!POSTGRES_URL.test(databaseUrl)) return "Must be a SQLite URL such as file:./data/pairgate.db or a PostgreSQL URL such as postgresql://user@host:5432/pairgate";
  if (!URL.canParse(databaseUrl)) return "Is not a valid postgresql:// URL";
  if (new URL(databaseUrl).pathname.replace(/^\//, "") === "") return "Must name the database, as in postgresql://user@host:5432/pairgate";
  return undefined;
}

/** `file:./data/pairgate.db?mode=x` → an absolute path; a plain path is resolved as it is. */
export function databaseFilePath(databaseUrlOrFile: string): string {
  if (!databaseUrlOrFile.startsWith("file:")) return path.resolve(databaseUrlOrFile);
  const withoutScheme = databaseUrlOrFile.slice("file:".length).replace(/^\/\//, "");
  return path.resolve(withoutScheme.split("?")[0] ?? "");
}

/** The same database with a SQLite path made absolute, so a later change of folder cannot move it. */
export function absoluteDatabaseUrl(databaseUrl: string): string {
  return databaseProvider(databaseUrl) === "sqlite" ? `file:${databaseFilePath(databaseUrl)}` : databaseUrl;
}

/** The PostgreSQL schema the hub's tables live in: the URL's `schema` parameter, as Prisma reads it. */
export function postgresSchema(databaseUrl: string): string {
  return new URL(databaseUrl).searchParams.get("schema") || DEFAULT_POSTGRES_SCHEMA;
}

/**
 * pg connection settings for a postgresql:// URL. Prisma's migrations name tables without a
 * schema, so the URL's schema is put first on the search path (as Prisma's own engine does).
 * Sessions run in UTC so that a column default of CURRENT_TIMESTAMP, stored in a TIMESTAMP
 * without time zone, means the same instant as the UTC values Prisma writes.
 */
/**
 * How long opening a connection may take before it fails (and the request with it, answered
 * `unavailable`) rather than wait for the operating system's TCP timeout, minutes on an
 * unreachable host. A `connect_timeout` in the URL (seconds, as libpq reads it) sets another;
 * node-postgres itself does not read that parameter.
 */
export const POSTGRES_CONNECT_TIMEOUT_MS = 5_000;

export function postgresConnectionConfig(databaseUrl: string): { connectionString: string; options: string; connectionTimeoutMillis: number } {
  const schema = `"${postgresSchema(databaseUrl).replaceAll('"', '""')}"`;
  const fromUrl = Number(new URL(databaseUrl).searchParams.get("connect_timeout") ?? Number.NaN);
  return {
    connectionString: databaseUrl,
    options: `-c search_path=${schema} -c TimeZone=UTC`,
    connectionTimeoutMillis: Number.isInteger(fromUrl) && fromUrl > 0 ? fromUrl * 1000 : POSTGRES_CONNECT_TIMEOUT_MS,
  };
}

/** The URL for logs and messages: SQLite's absolute path, PostgreSQL's without its password. */
export function describeDatabase(databaseUrl: string): string {
  if (databaseProvider(databaseUrl) === "sqlite") return databaseFilePath(databaseUrl);
  const url = new URL(databaseUrl);
  if (url.password) url.password = "***";
  if (url.searchParams.has("password")) url.searchParams.set("password", "***");
  return url.toString();
}
