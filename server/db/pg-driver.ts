import { createRequire } from "node:module";
import type * as Pg from "pg";
import type * as PrismaAdapterPg from "@prisma/adapter-pg";

const require = createRequire(import.meta.url);

/**
 * pg, loaded when a PostgreSQL database is first used rather than when a program starts: a hub
 * on SQLite never needs it, and it is one of the larger packages the hub could load. Loaded with
 * require (pg is CommonJS), so that the functions opening a connection stay synchronous.
 */
export function loadPg(): typeof Pg {
  return require("pg") as typeof Pg;
}

/** Prisma's PostgreSQL driver adapter, loaded with pg for the same reason. */
export function loadPrismaPg(): typeof PrismaAdapterPg.PrismaPg {
  return (require("@prisma/adapter-pg") as typeof PrismaAdapterPg).PrismaPg;
}
