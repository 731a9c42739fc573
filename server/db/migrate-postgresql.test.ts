import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { migrationCases, type MigrationRow, MigrationsFolder } from "../../test/support/migration-cases.ts";
import { dropPostgresTestDatabase, postgresTestDatabase } from "../../test/support/test-database.ts";
import { applyMigrations } from "./migrate.ts";

const MODEL_TABLES = ["AuditEvent", "BindingCode", "ClientKey", "Device", "EmailCode", "LoginChallenge", "RecoveryCode", "Session", "User"];

let workDir: string;
let databaseUrl: string;
let folder: MigrationsFolder;

beforeEach(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-migrate-pg-"));
  databaseUrl = await postgresTestDatabase(workDir);
  folder = MigrationsFolder.copyOf("postgresql", path.join(workDir, "migrations"));
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

function migrationRows(): Promise<MigrationRow[]> {
  return query<MigrationRow>(`SELECT migration_name, checksum, finished_at, logs, applied_steps_count FROM "_prisma_migrations" ORDER BY started_at`);
}

const apply = (url = databaseUrl) => applyMigrations(url, { migrationsDir: folder.dir });

describe("applyMigrations on PostgreSQL", () => {
  it("creates every model table in an empty database", async () => {
    const applied = await apply();

    expect(applied).toEqual(folder.names());
    expect(await tableNames()).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));
  });

  migrationCases({ database: () => databaseUrl, folder: () => folder, tableNames: () => tableNames(), migrationRows });

  it("applies each migration once when several hubs start at the same moment", async () => {
    const runs = await Promise.all([1, 2, 3].map(() => apply()));

    expect(runs.flat().sort()).toEqual(folder.names());
    expect((await migrationRows()).map((row) => row.migration_name).sort()).toEqual(folder.names());
  });

  it("names the failed migration's database error, and the Prisma command that resolves it", async () => {
    await apply();
    folder.add("broken", 'INSERT INTO "Missing" VALUES (1);\n');

    await expect(apply()).rejects.toThrow(/broken failed and was rolled back: relation "Missing" does not exist/);
    await expect(apply()).rejects.toThrow(/failed earlier.*--config prisma\.postgresql\.config\.ts/);
  });

  it("builds the tables in the schema the URL names", async () => {
    const url = new URL(databaseUrl);
    url.searchParams.set("schema", "hub");

    await apply(url.toString());

    expect(await tableNames("hub")).toEqual(expect.arrayContaining([...MODEL_TABLES, "_prisma_migrations"]));
    expect(await tableNames("public")).toEqual([]);
  });

  it("names the database, without its password, when it cannot connect", async () => {
    const url = new URL(databaseUrl);
    url.password = "not-the-password";
    url.pathname = `${url.pathname}_missing`;

    const failure = apply(url.toString());

    await expect(failure).rejects.toThrow(/^Cannot connect to the database postgresql:\/\/[^@/]*:\*\*\*@[^/]+\/pairgate_test_\w+_missing: /);
    await expect(failure).rejects.not.toThrow(/not-the-password/);
  });
});
