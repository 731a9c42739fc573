import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dropPostgresTestDatabase, postgresTestDatabase } from "../../test/support/test-database.ts";
import { applyMigrations, CHECKED_IN_MIGRATIONS } from "./migrate.ts";

const MODEL_TABLES = ["AuditEvent", "BindingCode", "ClientKey", "Device", "EmailCode", "LoginChallenge", "RecoveryCode", "Session", "User"];

let workDir: string;
let databaseUrl: string;
let migrationsDir: string;

beforeEach(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-migrate-pg-"));
  databaseUrl = await postgresTestDatabase(workDir);
  // A private copy, so tests can add or edit migrations.
  migrationsDir = path.join(workDir, "migrations");
  cpSync(CHECKED_IN_MIGRATIONS.postgresql, migrationsDir, { recursive: true });
});

afterEach(async () => {
  await dropPostgresTestDatabase(databaseUrl);
  rmSync(workDir, { recursive: true, force: true });
});

async function query<Row>(sql: string, url = databaseUrl): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as Row[];
  } finally {
    await client.end();
  }
}

async function tableNames(schema = "public"): Promise<string[]> {
  const rows = await query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = '${schema}' ORDER BY table_name`);
  return rows.map((row) => row.table_name);
}

function migrationRows() {
  return query<{ migration_name: string; checksum: string; finished_at: Date | null; logs: string | null; applied_steps_count: number }>(
    `SELECT migration_name, checksum, finished_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at`,
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

describe("applyMigrations on PostgreSQL", () => {
  it("creates every model table in an empty database", async () => {
    const applied = await applyMigrations(databaseUrl, { migrationsDir });

    expect(applied.length).toBeGreaterThan(0);
    expect(await tableNames()).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));
  });

  it("records each migration with the SHA-256 of its migration.sql, as Prisma does", async () => {
    await applyMigrations(databaseUrl, { migrationsDir });

    const [row] = await migrationRows();
    const expected = createHash("sha256").update(readFileSync(firstMigrationFile())).digest("hex");
    expect(row).toMatchObject({ checksum: expected, logs: null, applied_steps_count: 1 });
    expect(row?.finished_at).toBeInstanceOf(Date);
  });

  it("does nothing on a second run", async () => {
    await applyMigrations(databaseUrl, { migrationsDir });
    const before = await migrationRows();

    expect(await applyMigrations(databaseUrl, { migrationsDir })).toEqual([]);
    expect(await migrationRows()).toEqual(before);
  });

  it("applies each migration once when several hubs start at the same moment", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => applyMigrations(databaseUrl, { migrationsDir })));

    const expectedNames = readdirSync(migrationsDir, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    expect(runs.flat().sort()).toEqual(expectedNames.sort());
    expect((await migrationRows()).map((row) => row.migration_name).sort()).toEqual(expectedNames.sort());
  });

  it("refuses to run when an applied migration.sql was modified", async () => {
    await applyMigrations(databaseUrl, { migrationsDir });
    appendFileSync(firstMigrationFile(), "\n-- an edit after the fact\n");

    await expect(applyMigrations(databaseUrl, { migrationsDir })).rejects.toThrow(/modified after it was applied/);
  });

  it("rolls back a failing migration, records it as failed, and refuses to run again", async () => {
    await applyMigrations(databaseUrl, { migrationsDir });
    const broken = addMigration("broken", 'CREATE TABLE "Half" ("id" TEXT);\nINSERT INTO "Missing" VALUES (1);\n');

    await expect(applyMigrations(databaseUrl, { migrationsDir })).rejects.toThrow(/broken failed and was rolled back: relation "Missing" does not exist/);
    expect(await tableNames()).not.toContain("Half");
    expect((await migrationRows()).find((row) => row.migration_name === broken)).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    await expect(applyMigrations(databaseUrl, { migrationsDir })).rejects.toThrow(/failed earlier.*--config prisma\.postgresql\.config\.ts/);
  });

  it("builds the tables in the schema the URL names", async () => {
    const url = new URL(databaseUrl);
    url.searchParams.set("schema", "hub");

    await applyMigrations(url.toString(), { migrationsDir });

    expect(await tableNames("hub")).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));
    expect(await tableNames("public")).toEqual([]);
  });

  it("names the database, without its password, when it cannot connect", async () => {
    const url = new URL(databaseUrl);
    url.password = "not-the-password";
    url.pathname = `${url.pathname}_missing`;

    const failure = applyMigrations(url.toString(), { migrationsDir });

    await expect(failure).rejects.toThrow(/^Cannot connect to the database postgresql:\/\/[^@/]*:\*\*\*@[^/]+\/pairgate_test_\w+_missing: /);
    await expect(failure).rejects.not.toThrow(/not-the-password/);
  });
});
