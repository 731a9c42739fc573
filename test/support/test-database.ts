// A fresh PostgreSQL database for each hub under test (PAIRGATE_TEST_DATABASE=postgresql).
//
// `npm test` runs the suite twice: on SQLite (the default), then on the PostgreSQL server at
// PAIRGATE_TEST_POSTGRESQL_URL (default: user postgres on 127.0.0.1:5432). Each run names its
// databases after a prefix from test/support/global-setup.ts, which drops them all at the end,
// so a test that only stops its hub leaves nothing behind and another run's databases are safe.

import { createHash } from "node:crypto";
import { inject } from "vitest";
import { newTestDatabasePrefix, onServer, TEST_POSTGRESQL_SERVER_URL } from "./postgres-server.ts";

export { testDatabaseKind, type TestDatabaseKind } from "./postgres-server.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** Set by test/support/global-setup.ts: the prefix of this run's PostgreSQL databases. */
    postgresqlTestDatabasePrefix: string;
  }
}

/**
 * The URL of this run's PostgreSQL database for `key` (a hub's data folder, say), created empty
 * on first use; the same key gives the same database, so a restarted hub finds its data again.
 */
export async function postgresTestDatabase(key: string): Promise<string> {
  const name = `${testDatabasePrefix()}${createHash("sha256").update(key).digest("hex").slice(0, 16)}`;
  const { rowCount } = await onServer("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (rowCount === 0) await onServer(`CREATE DATABASE "${name}"`);
  const url = new URL(TEST_POSTGRESQL_SERVER_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropPostgresTestDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  await onServer(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
}

let fallbackPrefix: string | undefined;

function testDatabasePrefix(): string {
  // Without the global setup (a file run under another config), names are still this run's own.
  return inject("postgresqlTestDatabasePrefix") ?? (fallbackPrefix ??= newTestDatabasePrefix());
}
