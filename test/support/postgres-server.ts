// The PostgreSQL server the tests make their databases on, and the setting that picks the
// database under test. No vitest import here: test/support/global-setup.ts uses this module
// outside the test workers.

import { randomBytes } from "node:crypto";
import pg from "pg";

export type TestDatabaseKind = "sqlite" | "postgresql";

/** The server and user the PostgreSQL pass creates its databases with (the user needs CREATEDB). */
export const TEST_POSTGRESQL_SERVER_URL = process.env.PAIRGATE_TEST_POSTGRESQL_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

/** PAIRGATE_TEST_DATABASE: `sqlite` (default) or `postgresql`. */
export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.PAIRGATE_TEST_DATABASE || "sqlite";
  if (kind === "sqlite" || kind === "postgresql") return kind;
  throw new Error(`PAIRGATE_TEST_DATABASE must be sqlite or postgresql, not "${kind}"`);
}

/** A new prefix for one test run's databases: PostgreSQL names are at most 63 bytes. */
export function newTestDatabasePrefix(): string {
  return `pairgate_test_${randomBytes(4).toString("hex")}_`;
}

/** Throws a message that says how to start PostgreSQL, rather than letting tests skip or hang. */
export async function assertPostgresReachable(): Promise<void> {
  await onServer("SELECT 1");
}

/** Drops every database whose name starts with `prefix`: what one run's tests left behind. */
export async function dropPostgresTestDatabases(prefix: string): Promise<void> {
  const { rows } = await onServer("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
  for (const { datname } of rows as { datname: string }[]) await onServer(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
}

/** Runs one statement on the server's maintenance database. */
export async function onServer(sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: TEST_POSTGRESQL_SERVER_URL });
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => {});
    throw unreachable(error);
  }
  try {
    return await client.query(sql, values);
  } finally {
    await client.end();
  }
}

function unreachable(error: unknown): Error {
  const server = new URL(TEST_POSTGRESQL_SERVER_URL);
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `PostgreSQL at ${server.hostname}:${server.port || 5432} is not reachable: start it with \`pg_ctlcluster 15 main start\` ` +
      "(Debian; or your system's service manager), or point PAIRGATE_TEST_POSTGRESQL_URL at a server where the user may " +
      `create databases. The PostgreSQL tests never skip. (${reason})`,
    { cause: error },
  );
}
