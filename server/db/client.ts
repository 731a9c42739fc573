import { existsSync } from "node:fs";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { loadPg, loadPrismaPg } from "./pg-driver.ts";
import { databaseFilePath, databaseProvider, postgresConnectionConfig, postgresSchema } from "./database-url.ts";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgresql/client.ts";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client.ts";

/**
 * The storage handle domain code receives, whichever database is behind it.
 *
 * The two generated clients come from the same models (prisma/models.prisma) and have the same
 * model API; this is the SQLite client's type because everything it accepts, PostgreSQL's client
 * accepts too, while PostgreSQL's also offers what SQLite would refuse at run time (such as
 * `mode: "insensitive"`). Domain code written against this type therefore runs on both, with
 * two differences no type shows: `contains`, `startsWith` and `endsWith` (SQL LIKE) ignore ASCII
 * case on SQLite but not on PostgreSQL, and raw queries return integers as BigInt from SQLite and
 * as number from PostgreSQL.
 */
export type Database = SqlitePrismaClient;

/** The handle an interactive transaction (`db.$transaction(async (tx) => ...)`) gives its callback. */
export type Transaction = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** A database the caller opened and must close. */
export type OpenDatabase = Database & { close(): Promise<void> };

/**
 * Opens the hub's database through the Prisma driver adapter its URL calls for: a `file:` URL
 * or a plain path (relative to the working directory) is SQLite through better-sqlite3, a
 * postgresql:// or postgres:// URL is PostgreSQL through a pg pool. Migrations are not applied
 * here: see applyMigrations.
 */
export function createDatabase(databaseUrl: string): OpenDatabase {
  return databaseProvider(databaseUrl) === "postgresql" ? openPostgres(databaseUrl) : openSqlite(databaseUrl);
}

/** Whether the database exists: the SQLite file, or the PostgreSQL database on its server. */
export async function databaseExists(databaseUrl: string): Promise<boolean> {
  if (databaseProvider(databaseUrl) === "sqlite") return existsSync(databaseFilePath(databaseUrl));
  const client = new (loadPg().Client)(postgresConnectionConfig(databaseUrl));
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === UNDEFINED_DATABASE) return false;
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

const UNDEFINED_DATABASE = "3D000"; // PostgreSQL's SQLSTATE for a database that does not exist

/**
 * Foreign keys, which carry the schema's onDelete rules, are on in every connection because
 * better-sqlite3's bundled SQLite is built with them on by default.
 */
function openSqlite(databaseUrl: string): OpenDatabase {
  const client = new SqlitePrismaClient({ adapter: new PrismaBetterSqlite3({ url: databaseFilePath(databaseUrl) }) });
  return Object.assign(client, { close: () => client.$disconnect() });
}

function openPostgres(databaseUrl: string): OpenDatabase {
  const pool = new (loadPg().Pool)(postgresConnectionConfig(databaseUrl));
  // disposeExternalPool: $disconnect ends the pool too, so no connection outlives the hub.
  const adapter = new (loadPrismaPg())(pool, { schema: postgresSchema(databaseUrl), disposeExternalPool: true });
  // The one place where PostgreSQL's client is given the shared Database type; see Database.
  const client = new PostgresPrismaClient({ adapter }) as unknown as SqlitePrismaClient;
  return Object.assign(client, { close: () => client.$disconnect() });
}

// Compile-time guard for that cast: both generated clients must expose the same models.
type ModelNames<Client> = Exclude<keyof Client, `$${string}` | symbol>;
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const BOTH_CLIENTS_HAVE_THE_SAME_MODELS: SameKeys<ModelNames<SqlitePrismaClient>, ModelNames<PostgresPrismaClient>> = true;
void BOTH_CLIENTS_HAVE_THE_SAME_MODELS;
