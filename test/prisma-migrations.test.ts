// One model definition, two databases, no drift:
// - prisma/sqlite/schema.prisma and prisma/postgresql/schema.prisma must be exactly what
//   scripts/prisma/compose-schemas.ts makes of prisma/models.prisma;
// - each provider's checked-in migrations must build exactly its composed schema;
// - what the hub writes at start-up must read back as "up to date" to the Prisma CLI, and what
//   `prisma migrate deploy` writes must leave the hub nothing to do.
// The migration checks run on this pass's database (SQLite, or PostgreSQL with
// PAIRGATE_TEST_DATABASE=postgresql), so `npm test` covers both. They run the real CLI, which
// reaches the database through our schema engine stand-in (scripts/prisma/schema-engine.mjs),
// so they also guard that stand-in against a Prisma upgrade that changes its internals.

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { composedSchemaFile, staleSchemas } from "../scripts/prisma/compose-schemas.ts";
import { applyMigrations, CHECKED_IN_MIGRATIONS } from "../server/db/migrate.ts";
import { TEST_POSTGRESQL_SERVER_URL } from "./support/postgres-server.ts";
import { dropPostgresTestDatabase, postgresTestDatabase, testDatabaseKind } from "./support/test-database.ts";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const PROVIDER = testDatabaseKind();
const SCHEMA = composedSchemaFile(PROVIDER);
const MIGRATIONS = CHECKED_IN_MIGRATIONS[PROVIDER];
const CONFIG = PROVIDER === "postgresql" ? ["--config", "prisma.postgresql.config.ts"] : [];
const PRISMA_CLI = path.join(path.dirname(createRequire(import.meta.url).resolve("prisma/package.json")), "build/index.js");
// Each CLI run starts Node twice and loads the Wasm engine: a few seconds on a slow machine.
const CLI_TIMEOUT_MS = 60_000;

interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

let workDir: string;
const databasesToDrop: string[] = [];

beforeAll(() => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-prisma-"));
});

afterAll(async () => {
  for (const url of databasesToDrop) await dropPostgresTestDatabase(url);
  rmSync(workDir, { recursive: true, force: true });
});

/** A new, empty database of this pass's provider. */
async function freshDatabase(name: string): Promise<string> {
  if (PROVIDER === "sqlite") return `file:${path.join(workDir, name, "pairgate.db")}`;
  const url = await postgresTestDatabase(path.join(workDir, name));
  databasesToDrop.push(url);
  return url;
}

/** Runs `prisma <args>` from the repo root with this provider's config, so it uses the engine stand-in. */
function prisma(args: string[], databaseUrl: string): Promise<CliResult> {
  const { PRISMA_SCHEMA_ENGINE_BINARY: _native, ...inherited } = process.env;
  const env = { ...inherited, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" };
  return new Promise((resolve) => {
    execFile(process.execPath, [PRISMA_CLI, ...args, ...CONFIG], { cwd: REPO_ROOT, env, timeout: CLI_TIMEOUT_MS }, (error, stdout, stderr) => {
      const exitCode = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ exitCode, stdout, stderr });
    });
  });
}

/** Replays the migrations in a scratch database (and a shadow one), never in the configured database. */
function diffMigrationsAgainst(schemaFile: string): Promise<CliResult> {
  const args = ["migrate", "diff", "--from-migrations", MIGRATIONS, "--to-schema", schemaFile, "--script", "--exit-code"];
  const unused = PROVIDER === "sqlite" ? `file:${path.join(workDir, "unused.db")}` : TEST_POSTGRESQL_SERVER_URL;
  return prisma(args, unused);
}

/** The SQL statements in a script, without comments and blank lines. */
function statements(script: string): string[] {
  return script
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("--"));
}

describe("the composed schemas", () => {
  it("are exactly what prisma/models.prisma composes to, for every provider (npm run db:compose)", () => {
    expect(staleSchemas()).toEqual([]);
  });
});

describe(`checked-in ${PROVIDER} migrations`, () => {
  it(
    `produce exactly prisma/${PROVIDER}/schema.prisma`,
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
      const databaseUrl = await freshDatabase("hub");
      await applyMigrations(databaseUrl);

      const result = await prisma(["migrate", "status"], databaseUrl);

      expect(result.stdout).toContain("Database schema is up to date!");
      expect(result.exitCode).toBe(0);
    },
    CLI_TIMEOUT_MS,
  );

  it(
    "leave the hub nothing to do after prisma migrate deploy",
    async () => {
      const databaseUrl = await freshDatabase("deployed");

      const result = await prisma(["migrate", "deploy"], databaseUrl);

      expect(result.stdout).toContain("All migrations have been successfully applied.");
      expect(await applyMigrations(databaseUrl)).toEqual([]);
    },
    CLI_TIMEOUT_MS,
  );
});
