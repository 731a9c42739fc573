// Which database a datasource URL names, and whether the stand-in can drive it.
//
// Every target has the same shape: name, location, provider, assertConnectable(), create(),
// drop(), reset(), scratchTwin(), adapterFactory(), closeConnections() and dispose().

import { EngineError } from "./engine-error.mjs";
import { PostgresDatabase } from "./postgresql-database.mjs";
import { SqliteDatabase } from "./sqlite-database.mjs";

/** @typedef {SqliteDatabase | PostgresDatabase} DatabaseTarget */

/**
 * @param {import("./engine-arguments.mjs").Datasource} datasource
 * @returns {DatabaseTarget}
 */
export function databaseTargetFor(datasource) {
  const url = datasource.url;
  if (!url) throw new EngineError("P1012", "The datasource has no url. Set it in prisma.config.ts.");
  if (url.startsWith("file:")) return new SqliteDatabase(url, datasource.shadowDatabaseUrl);
  if (/^postgres(ql)?:\/\//.test(url)) return PostgresDatabase.fromUrl(url, datasource.shadowDatabaseUrl);
  const scheme = url.split(":")[0];
  throw new EngineError(
    "P1013",
    `The offline schema engine stand-in drives SQLite (file:) and PostgreSQL (postgresql://), not "${scheme}:". ` +
      "Use the native schema engine (PRISMA_SCHEMA_ENGINE_BINARY) for other databases.",
  );
}
