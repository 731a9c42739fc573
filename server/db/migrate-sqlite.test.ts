import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationCases, type MigrationRow, MigrationsFolder } from "../../test/support/migration-cases.ts";
import { applyMigrations } from "./migrate.ts";

const MODEL_TABLES = ["AuditEvent", "BindingCode", "ClientKey", "Device", "EmailCode", "LoginChallenge", "RecoveryCode", "Session", "User"];

let workDir: string;
let databaseFile: string;
let folder: MigrationsFolder;

beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-migrate-"));
  databaseFile = path.join(workDir, "data", "pairgate.db");
  folder = MigrationsFolder.copyOf("sqlite", path.join(workDir, "migrations"));
});

afterEach(() => {
  rmSync(workDir, { recursive: true, force: true });
});

function readDatabase<T>(query: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(databaseFile, { readonly: true });
  try {
    return query(db);
  } finally {
    db.close();
  }
}

async function tableNames(): Promise<string[]> {
  return readDatabase((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
}

async function migrationRows(): Promise<MigrationRow[]> {
  return readDatabase(
    (db) => db.prepare(`SELECT migration_name, checksum, finished_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at`).all() as MigrationRow[],
  );
}

const apply = () => applyMigrations(databaseFile, { migrationsDir: folder.dir });

describe("applyMigrations on SQLite", () => {
  it("creates every model table in a fresh database file", async () => {
    const applied = await apply();

    expect(applied).toEqual(folder.names());
    expect(await tableNames()).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));
  });

  migrationCases({ database: () => databaseFile, folder: () => folder, tableNames, migrationRows });

  it("creates the database file readable by its owner only", async () => {
    await apply();

    expect(statSync(databaseFile).mode & 0o777).toBe(0o600);
  });

  it("turns on WAL journaling", async () => {
    await apply();

    expect(readDatabase((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
  });

  it("keeps rows that refer to a table a migration rebuilds", async () => {
    await apply();
    const db = new BetterSqlite3(databaseFile);
    db.prepare(`INSERT INTO "User" (id, username, email, passwordHash) VALUES ('u1', 'ada', 'ada@example.org', 'x')`).run();
    db.prepare(`INSERT INTO "Session" (id, userId, tokenHash, expiresAt) VALUES ('s1', 'u1', 'h', 0)`).run();
    db.close();
    // The shape of Prisma's SQLite table rebuild; with foreign keys on, the DROP would cascade.
    folder.add(
      "rebuild_user",
      [
        "PRAGMA defer_foreign_keys=ON;",
        "PRAGMA foreign_keys=OFF;",
        'CREATE TABLE "new_User" ("id" TEXT NOT NULL PRIMARY KEY, "username" TEXT NOT NULL, "email" TEXT NOT NULL, "passwordHash" TEXT NOT NULL, "role" TEXT NOT NULL DEFAULT \'user\', "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP, "passwordChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP);',
        'INSERT INTO "new_User" ("id", "username", "email", "passwordHash", "role", "createdAt", "passwordChangedAt") SELECT "id", "username", "email", "passwordHash", "role", "createdAt", "passwordChangedAt" FROM "User";',
        'DROP TABLE "User";',
        'ALTER TABLE "new_User" RENAME TO "User";',
        "PRAGMA foreign_keys=ON;",
        "PRAGMA defer_foreign_keys=OFF;",
      ].join("\n"),
    );

    await apply();

    expect(readDatabase((db) => db.prepare(`SELECT id FROM "Session"`).pluck().all())).toEqual(["s1"]);
  });
});
