import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "./generated/sqlite/client.ts";

/** The storage handle domain code receives: the Prisma client generated from prisma/sqlite. */
export type Database = PrismaClient;

/** A database the caller opened and must close. */
export type OpenDatabase = Database & { close(): Promise<void> };

/**
 * Opens the hub's SQLite database through Prisma's better-sqlite3 adapter. Accepts a
 * `file:` URL (as in DATABASE_URL) or a plain path; relative paths start at the working
 * directory. Migrations are not applied here: see applyMigrations.
 *
 * Foreign keys, which carry the schema's onDelete rules, are on in every connection because
 * better-sqlite3's bundled SQLite is built with them on by default.
 */
export function createDatabase(databaseUrlOrFile: string): OpenDatabase {
  const adapter = new PrismaBetterSqlite3({ url: databaseFilePath(databaseUrlOrFile) });
  const client = new PrismaClient({ adapter });
  return Object.assign(client, { close: () => client.$disconnect() });
}

/** `file:./data/pairgate.db?mode=x` → an absolute path; a plain path is resolved as it is. */
export function databaseFilePath(databaseUrlOrFile: string): string {
  if (!databaseUrlOrFile.startsWith("file:")) return path.resolve(databaseUrlOrFile);
  const withoutScheme = databaseUrlOrFile.slice("file:".length).replace(/^\/\//, "");
  return path.resolve(withoutScheme.split("?")[0] ?? "");
}
