import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDatabase, databaseFilePath, type OpenDatabase } from "./client.ts";
import { applyMigrations } from "./migrate.ts";

const MIGRATIONS = fileURLToPath(new URL("../../prisma/sqlite/migrations", import.meta.url));

let workDir: string;
let db: OpenDatabase;

beforeEach(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-client-"));
  const databaseFile = path.join(workDir, "pairgate.db");
  await applyMigrations(databaseFile, MIGRATIONS);
  db = createDatabase(`file:${databaseFile}`);
});

afterEach(async () => {
  await db.close();
  rmSync(workDir, { recursive: true, force: true });
});

describe("createDatabase", () => {
  it("stores and reads models through the generated client", async () => {
    await db.user.create({ data: { id: "u1", username: "ada", email: "ada@example.org", passwordHash: "x" } });

    expect(await db.user.findUnique({ where: { username: "ada" } })).toMatchObject({ id: "u1", role: "user" });
  });

  it("applies the schema's onDelete rules, so foreign keys are on", async () => {
    await db.user.create({
      data: {
        id: "u1",
        username: "ada",
        email: "ada@example.org",
        passwordHash: "x",
        sessions: { create: { id: "s1", tokenHash: "h", expiresAt: new Date(Date.now() + 60_000) } },
      },
    });

    await db.user.delete({ where: { id: "u1" } });

    expect(await db.session.count()).toBe(0);
  });
});

describe("databaseFilePath", () => {
  it("reads file: URLs and plain paths, relative to the working directory", () => {
    expect(databaseFilePath("file:./data/pairgate.db")).toBe(path.resolve("data/pairgate.db"));
    expect(databaseFilePath("file:/srv/hub.db?connection_limit=1")).toBe("/srv/hub.db");
    expect(databaseFilePath("file:///srv/hub.db")).toBe("/srv/hub.db");
    expect(databaseFilePath("data/hub.db")).toBe(path.resolve("data/hub.db"));
  });
});
