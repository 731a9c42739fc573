import { createHash } from "node:crypto";
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import type { DatabaseProvider } from "../../server/db/database-url.ts";
import { applyMigrations, CHECKED_IN_MIGRATIONS } from "../../server/db/migrate.ts";

export interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  logs: string | null;
  applied_steps_count: number;
}

/** A private copy of one provider's migrations, so a test can add or edit them. */
export class MigrationsFolder {
  constructor(readonly dir: string) {}

  static copyOf(provider: DatabaseProvider, dir: string): MigrationsFolder {
    cpSync(CHECKED_IN_MIGRATIONS[provider], dir, { recursive: true });
    return new MigrationsFolder(dir);
  }

  names(): string[] {
    return readdirSync(this.dir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
  }

  firstFile(): string {
    return path.join(this.dir, this.names()[0] ?? "", "migration.sql");
  }

  /** Adds a migration folder named to sort after every checked-in one; returns its name. */
  add(name: string, sql: string): string {
    const folder = `99990101000000_${name}`;
    mkdirSync(path.join(this.dir, folder));
    writeFileSync(path.join(this.dir, folder, "migration.sql"), sql);
    return folder;
  }
}

export interface MigrationTarget {
  /** What applyMigrations takes: the database file or URL of the current test. */
  database(): string;
  folder(): MigrationsFolder;
  tableNames(): Promise<string[]>;
  migrationRows(): Promise<MigrationRow[]>;
}

/** The behaviour every provider's start-up migrator shares, as `it` cases of the calling describe. */
export function migrationCases(target: MigrationTarget): void {
  const apply = () => applyMigrations(target.database(), { migrationsDir: target.folder().dir });

  it("records each migration with the SHA-256 of its migration.sql, as Prisma does", async () => {
    await apply();

    const [row] = await target.migrationRows();
    const expected = createHash("sha256").update(readFileSync(target.folder().firstFile())).digest("hex");
    expect(row).toMatchObject({ checksum: expected, logs: null, applied_steps_count: 1 });
    // A Date from PostgreSQL, text from SQLite: either way, a real instant.
    expect(row?.finished_at).not.toBeNull();
    expect(Number.isNaN(new Date(row?.finished_at as string | Date).getTime())).toBe(false);
  });

  it("does nothing on a second run", async () => {
    await apply();
    const before = await target.migrationRows();

    expect(await apply()).toEqual([]);
    expect(await target.migrationRows()).toEqual(before);
  });

  it("refuses to run when an applied migration.sql was modified", async () => {
    await apply();
    appendFileSync(target.folder().firstFile(), "\n-- an edit after the fact\n");

    await expect(apply()).rejects.toThrow(/modified after it was applied/);
  });

  it("accepts a migration.sql whose line endings git changed", async () => {
    await apply();
    const file = target.folder().firstFile();
    writeFileSync(file, readFileSync(file, "utf8").replaceAll("\n", "\r\n"));

    expect(await apply()).toEqual([]);
  });

  it("rolls back a failing migration, records it as failed, and refuses to run again", async () => {
    await apply();
    const broken = target.folder().add("broken", 'CREATE TABLE "Half" ("id" TEXT);\nINSERT INTO "Missing" VALUES (1);\n');

    await expect(apply()).rejects.toThrow(/broken failed and was rolled back/);
    expect(await target.tableNames()).not.toContain("Half");
    expect((await target.migrationRows()).find((row) => row.migration_name === broken)).toMatchObject({ finished_at: null, applied_steps_count: 0 });
    await expect(apply()).rejects.toThrow(/failed earlier/);
  });
}
