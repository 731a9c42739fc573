import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations } from "./migrate.ts";

const CHECKED_IN_MIGRATIONS = fileURLToPath(new URL("../../prisma/sqlite/migrations", import.meta.url));
const MODEL_TABLES = ["AuditEvent", "ClientKey", "LoginChallenge", "Session", "User"];

let workDir: string;
let databaseFile: string;
let migrationsDir: string;

beforeEach(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-migrate-"));
  databaseFile = path.join(workDir, "data", "pairgate.db");
  // A private copy, so tests can add or edit migrations.
  migrationsDir = path.join(workDir, "migrations");
  cpSync(CHECKED_IN_MIGRATIONS, migrationsDir, { recursive: true });
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

function tableNames(): string[] {
  return readDatabase((db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]);
}

function migrationRows() {
  return readDatabase(
    (db) =>
      db.prepare(`SELECT migration_name, checksum, finished_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at`).all() as {
        migration_name: string;
        checksum: string;
        finished_at: string | null;
        logs: string | null;
        applied_steps_count: number;
      }[],
  );
}

/** Adds a migration folder named to sort after every checked-in one. */
function addMigration(name: string, sql: string): string {
  const folder = `99990101000000_${name}`;
  mkdirSync(path.join(migrationsDir, folder));
  writeFileSync(path.join(migrationsDir, folder, "migration.sql"), sql);
  return folder;
}

function firstMigrationFile(): string {
  const [first] = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return path.join(migrationsDir, first ?? "", "migration.sql");
}

describe("applyMigrations", () => {
  it("creates every model table in a fresh database file", async () => {
    const applied = await applyMigrations(databaseFile, { migrationsDir });

    expect(applied.length).toBeGreaterThan(0);
    expect(tableNames()).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));
  });

  it("records each migration with the SHA-256 of its migration.sql, as Prisma does", async () => {
    await applyMigrations(databaseFile, { migrationsDir });

    const [row] = migrationRows();
    const expected = createHash("sha256").update(readFileSync(firstMigrationFile())).digest("hex");
    expect(row?.checksum).toBe(expected);
    expect(row?.finished_at).not.toBeNull();
    expect(row?.applied_steps_count).toBe(1);
  });

  it("does nothing on a second run", async () => {
    await applyMigrations(databaseFile, { migrationsDir });
    const before = migrationRows();

    expect(await applyMigrations(databaseFile, { migrationsDir })).toEqual([]);
    expect(migrationRows()).toEqual(before);
  });

  it("creates the database file readable by its owner only", async () => {
    await applyMigrations(databaseFile, { migrationsDir });

    expect(statSync(databaseFile).mode & 0o777).toBe(0o600);
  });

  it("turns on WAL journaling", async () => {
    await applyMigrations(databaseFile, { migrationsDir });

    expect(readDatabase((db) => db.pragma("journal_mode", { simple: true }))).toBe("wal");
  });

  it("refuses to run when an applied migration.sql was modified", async () => {
    await applyMigrations(databaseFile, { migrationsDir });
    appendFileSync(firstMigrationFile(), "\n-- an edit after the fact\n");

    await expect(applyMigrations(databaseFile, { migrationsDir })).rejects.toThrow(/modified after it was applied/);
  });

  it("accepts a migration.sql whose line endings git changed", async () => {
    await applyMigrations(databaseFile, { migrationsDir });
    const file = firstMigrationFile();
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("\n", "\r\n"));

    expect(await applyMigrations(databaseFile, { migrationsDir })).toEqual([]);
  });

  it("rolls back a failing migration, records it as failed, and refuses to run again", async () => {
    await applyMigrations(databaseFile, { migrationsDir });
    const broken = addMigration("broken", 'CREATE TABLE "Half" ("id" TEXT);\nINSERT INTO "Missing" VALUES (1);\n');

    await expect(applyMigrations(databaseFile, { migrationsDir })).rejects.toThrow(/broken failed and was rolled back/);
    expect(tableNames()).not.toContain("Half");
    expect(migrationRows().find((row) => row.migration_name === broken)).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    await expect(applyMigrations(databaseFile, { migrationsDir })).rejects.toThrow(/failed earlier/);
  });

  it("keeps rows that refer to a table a migration rebuilds", async () => {
    await applyMigrations(databaseFile, { migrationsDir });
    const db = new BetterSqlite3(databaseFile);
    db.prepare(`INSERT INTO "User" (id, username, email, passwordHash) VALUES ('u1', 'ada', 'ada@example.org', 'x')`).run();
    db.prepare(`INSERT INTO "Session" (id, userId, tokenHash, expiresAt) VALUES ('s1', 'u1', 'h', 0)`).run();
    db.close();
    // The shape of Prisma's SQLite table rebuild; with foreign keys on, the DROP would cascade.
    addMigration(
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

    await applyMigrations(databaseFile, { migrationsDir });

    expect(readDatabase((db) => db.prepare(`SELECT id FROM "Session"`).pluck().all())).toEqual(["s1"]);
  });
});
