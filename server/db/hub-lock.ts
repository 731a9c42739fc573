import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { loadPg } from "./pg-driver.ts";
import { databaseFilePath, databaseProvider, describeDatabase, postgresConnectionConfig } from "./database-url.ts";

/**
 * Who is using the hub's database. Every running hub holds a shared claim on it for its whole
 * life; `restore` and `rotate-secret-key` need an exclusive one, so they refuse while any hub
 * runs, and a hub refuses to start while one of them works. The operating system drops a
 * claim when its process dies, so a crashed hub leaves nothing stale behind (no pid file):
 *
 * - SQLite: a read lock (shared) or write lock (exclusive) on a small SQLite file beside the
 *   database, `<database>.hub-lock`. The database itself cannot carry this: in WAL mode a
 *   writer's lock does not keep readers out.
 * - PostgreSQL: a session advisory lock in the hub's database, shared or exclusive, held on a
 *   connection of its own, so hubs on other machines count too.
 */
export interface DatabaseClaim {
  release(): Promise<void>;
}

export class DatabaseInUseError extends Error {
  override name = "DatabaseInUseError";
}

// "PairGate" in ASCII: the advisory lock's key, one per database.
const ADVISORY_LOCK_KEY = "5792026535319925861";
const SQLITE_BUSY = /SQLITE_BUSY|database is locked/;

/** A running hub's claim; throws DatabaseInUseError while a maintenance command holds the database. */
export function claimDatabaseForHub(databaseUrl: string): Promise<DatabaseClaim> {
  const refusal = `${describeDatabase(databaseUrl)} is being restored or re-keyed by a pairgate-hub command; start the hub once it has finished.`;
  return claim(databaseUrl, "shared", refusal);
}

/** A maintenance command's claim; throws DatabaseInUseError while a hub runs on the database. */
export function claimDatabaseExclusively(databaseUrl: string): Promise<DatabaseClaim> {
  const refusal = `a hub is running on ${describeDatabase(databaseUrl)}; stop every hub process first (for example \`systemctl stop pairgate-hub\`).`;
  return claim(databaseUrl, "exclusive", refusal);
}

/** The SQLite lock file of a database file. */
export const sqliteLockFile = (databaseFile: string) => `${databaseFile}.hub-lock`;

async function claim(databaseUrl: string, mode: "shared" | "exclusive", refusal: string): Promise<DatabaseClaim> {
  if (databaseProvider(databaseUrl) === "postgresql") return claimPostgres(databaseUrl, mode, refusal);
  return claimSqlite(databaseFilePath(databaseUrl), mode, refusal);
}

function claimSqlite(databaseFile: string, mode: "shared" | "exclusive", refusal: string): DatabaseClaim {
  const file = sqliteLockFile(databaseFile);
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, "a", 0o600));
  // timeout 0: a claim is answered at once, never after waiting for the other side.
  const lock = new BetterSqlite3(file, { timeout: 0 });
  try {
    if (mode === "exclusive") lock.exec("BEGIN EXCLUSIVE");
    else {
      lock.exec("BEGIN");
      lock.prepare("SELECT count(*) FROM sqlite_master").get();
    }
  } catch (error) {
    lock.close();
    if (SQLITE_BUSY.test(String((error as Error).message)) || (error as { code?: string }).code === "SQLITE_BUSY") throw new DatabaseInUseError(refusal);
    throw error;
  }
  return {
    release: async () => {
      if (lock.inTransaction) lock.exec("ROLLBACK");
      lock.close();
    },
  };
}

async function claimPostgres(databaseUrl: string, mode: "shared" | "exclusive", refusal: string): Promise<DatabaseClaim> {
  const client = new (loadPg().Client)(postgresConnectionConfig(databaseUrl));
  // A dropped connection drops the claim with it; the hub's own pool reports the outage.
  client.on("error", () => {});
  await client.connect();
  const sql = mode === "exclusive" ? "SELECT pg_try_advisory_lock($1::bigint) AS taken" : "SELECT pg_try_advisory_lock_shared($1::bigint) AS taken";
  try {
    const { rows } = await client.query<{ taken: boolean }>(sql, [ADVISORY_LOCK_KEY]);
    if (!rows[0]?.taken) throw new DatabaseInUseError(refusal);
  } catch (error) {
    await client.end().catch(() => {});
    throw error;
  }
  return { release: () => client.end().catch(() => {}) };
}
