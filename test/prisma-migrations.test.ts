// The checked-in migrations must build exactly the schema in prisma/sqlite/schema.prisma, and
// what the hub writes at start-up must read back as "up to date" to the Prisma CLI. Both run
// the real CLI, which reaches the database through our schema engine stand-in
// (scripts/prisma/schema-engine.mjs), so these tests also guard that stand-in against a
// Prisma upgrade that changes its internals.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../server/db/migrate.ts";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const SCHEMA = path.join(REPO_ROOT, "prisma/sqlite/schema.prisma");
const MIGRATIONS = path.join(REPO_ROOT, "prisma/sqlite/migrations");
const PRISMA_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve("prisma/package.json")), "build/index.js");
// Each CLI run starts Node twice and loads the Wasm engine: a few seconds on a slow machine.
const CLI_TIMEOUT_MS = 60_000;

interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

let workDir: string;

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-prisma-"));
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

/** Runs `prisma <args>` from the repo root, so prisma.config.ts picks the engine stand-in. */
function prisma(args: string[], databaseFile: string): Promise<CliResult> {
  const { PRISMA_SCHEMA_ENGINE_BINARY: _native, ...inherited } = process.env;
  const env = { ...inherited, DATABASE_URL: `file:${databaseFile}`, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  return new Promise((resolve) => {
    execFile(process.execPath, [PRISMA_CLI, ...args], { cwd: REPO_ROOT, env, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ exitCode, stdout, stderr });
    });
  });
}

function diffMigrationsAgainst(schemaFile: string): Promise<CliResult> {
  const args = ["migrate", "diff", "--from-migrations", MIGRATIONS, "--to-schema", schemaFile, "--script", "--exit-code"];
  return prisma(args, path.join(workDir, "unused.db"));
}

/** The SQL statements in a script, without comments and blank lines. */
function statements(script: string): string[] {
  return script
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("--"));
}

describe("checked-in SQLite migrations", () => {
  it(
    "produce exactly the current schema",
    async () => {
      const result = await diffMigrationsAgainst(SCHEMA);

      expect(result.stderr).not.toMatch(/Error/);
      expect(statements(result.stdout)).toEqual([]);
      expect(result.exitCode).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "are reported as out of date when the schema gains a model",
    async () => {
      const changedSchema = path.join(workDir, "changed.prisma");
      writeFileSync(changedSchema, `${readFileSync(SCHEMA, "utf8")}\nmodel Canary {\n  id String @id\n}\n`);

      const result = await diffMigrationsAgainst(changedSchema);

      expect(result.exitCode).toBe(2);
      expect(statements(result.stdout)).toContainEqual(expect.stringMatching(/^CREATE TABLE "Canary"/));
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "leave a database migrated by the hub up to date for prisma migrate status",
    async () => {
      const databaseFile = path.join(workDir, "hub", "pairgate.db");
      await applyMigrations(databaseFile, MIGRATIONS);

      const result = await prisma(["migrate", "status"], databaseFile);

      expect(result.stdout).toContain("Database schema is up to date!");
      expect(result.exitCode).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );
});
