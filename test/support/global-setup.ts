// Vitest global setup: on the PostgreSQL pass (PAIRGATE_TEST_DATABASE=postgresql), fail at once,
// and clearly, when the server is not there; give the run a prefix for its databases; and drop
// them all at the end, including those of hubs that were only stopped.

import type { TestProject } from "vitest/node";
import { assertPostgresReachable, dropPostgresTestDatabases, newTestDatabasePrefix, testDatabaseKind } from "./postgres-server.ts";

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (testDatabaseKind() !== "postgresql") return undefined;
  await assertPostgresReachable();
  const prefix = newTestDatabasePrefix();
  project.provide("postgresqlTestDatabasePrefix", prefix);
  return () => dropPostgresTestDatabases(prefix);
}
