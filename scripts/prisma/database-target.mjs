// Which database a datasource URL names, and whether the stand-in can drive it.

import { SqliteDatabase } from "./sqlite-database.mjs";

/** A user-facing engine error, reported with a Prisma error code (P1xxx, P3xxx, ...). */
export class EngineError extends Error {
  constructor(/** @type {string} */ code, /** @type {string} */ message, /** @type {object} */ meta = {}) {
    super(message);
    this.code = code;
    this.meta = meta;
  }
}

/** @param {import("./engine-arguments.mjs").Datasource} datasource */
export function databaseTargetFor(datasource) {
  const url = datasource.url;
  if (!url) throw new EngineError("P1012", "The datasource has no url. Set it in prisma.config.ts.");
  if (url.startsWith("file:")) return new SqliteDatabase(url, datasource.shadowDatabaseUrl);
  const scheme = url.split(":")[0];
  // PostgreSQL would need @prisma/adapter-pg plus work-arounds: it rejects the catalog's internal
  // "char" type (OID 18), and its shadow database must be created and dropped explicitly.
  throw new EngineError(
    "P1013",
    `The offline schema engine stand-in only drives SQLite (file: URLs) so far, not "${scheme}:". ` +
      "Use the native schema engine (PRISMA_SCHEMA_ENGINE_BINARY) for other databases.",
  );
}
