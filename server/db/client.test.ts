import { mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dropPostgresTestDatabase, postgresTestDatabase, testDatabaseKind } from "../../test/support/test-database.ts";
import { createDatabase, databaseExists, type OpenDatabase } from "./client.ts";
import { POSTGRES_CONNECT_TIMEOUT_MS } from "./database-url.ts";
import { applyMigrations } from "./migrate.ts";

// On the database of this test pass: SQLite, or PostgreSQL with PAIRGATE_TEST_DATABASE=postgresql.
const onPostgres = testDatabaseKind() === "postgresql";

let workDir: string;
let databaseUrl: string;
let db: OpenDatabase;

beforeEach(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), "pairgate-client-"));
  databaseUrl = onPostgres ? await postgresTestDatabase(workDir) : `file:${path.join(workDir, "pairgate.db")}`;
  await applyMigrations(databaseUrl);
  db = createDatabase(databaseUrl);
});

afterEach(async () => {
  await db.close();
  if (onPostgres) await dropPostgresTestDatabase(databaseUrl);
  rmSync(workDir, { recursive: true, force: true });
});

const ada = { id: "u1", username: "ada", email: "ada@example.org", passwordHash: "x" };

describe("createDatabase", () => {
  it("stores and reads models through the generated client", async () => {
    await db.user.create({ data: ada });

    expect(await db.user.findUnique({ where: { username: "ada" } })).toMatchObject({ id: "u1", role: "user" });
  });

  it("applies the schema's onDelete rules, so foreign keys are on", async () => {
    await db.user.create({
      data: { ...ada, sessions: { create: { id: "s1", tokenHash: "h", expiresAt: new Date(Date.now() + 60_000) } } },
    });

    await db.user.delete({ where: { id: "u1" } });

    expect(await db.session.count()).toBe(0);
  });

  it("reports a duplicate as P2002, whichever the database", async () => {
    await db.user.create({ data: ada });

    await expect(db.user.create({ data: { ...ada, id: "u2", email: "other@example.org" } })).rejects.toMatchObject({ code: "P2002" });
  });

  it("keeps instants to the millisecond, in UTC", async () => {
    const expiresAt = new Date("2030-01-02T03:04:05.678Z");
    await db.user.create({ data: { ...ada, sessions: { create: { id: "s1", tokenHash: "h", expiresAt } } } });

    const session = await db.session.findUniqueOrThrow({ where: { id: "s1" } });

    expect(session.expiresAt.toISOString()).toBe("2030-01-02T03:04:05.678Z");
    expect(Math.abs(session.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("finds parts of strings with contains, case-sensitively on PostgreSQL only: searches lower-case both sides", async () => {
    await db.user.create({ data: ada });

    expect(await db.user.count({ where: { email: { contains: "@example." } } })).toBe(1);
    expect(await db.user.count({ where: { username: { contains: "ADA" } } })).toBe(onPostgres ? 0 : 1);
  });

  it("answers raw queries, as the health check sends them", async () => {
    const rows = await db.$queryRaw<{ one: unknown }[]>`SELECT 1 AS one`;

    // Integers come back as BigInt from SQLite and as number from PostgreSQL: raw SQL is not portable.
    expect(rows.map((row) => Number(row.one))).toEqual([1]);
  });
});

describe("databaseExists", () => {
  it("knows the database it just migrated, and not one that was never made", async () => {
    expect(await databaseExists(databaseUrl)).toBe(true);
    const missing = onPostgres ? `${databaseUrl}_missing` : `file:${path.join(workDir, "missing.db")}`;
    expect(await databaseExists(missing)).toBe(false);
  });
});

describe("a PostgreSQL server that accepts but never answers", () => {
  let silent: net.Server;
  let port: number;
  const accepted = new Set<net.Socket>();
  beforeEach(async () => {
    // Accepts the TCP connection and says nothing, as a host behind a dead link or a full backlog.
    silent = net.createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    port = (silent.address() as net.AddressInfo).port;
  });
  afterEach(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it(`fails a query after ${POSTGRES_CONNECT_TIMEOUT_MS / 1000} s instead of waiting on the socket`, async () => {
    const stuck = createDatabase(`postgresql://hub@127.0.0.1:${port}/pairgate`);
    try {
      await expect(stuck.user.count()).rejects.toThrow(/timeout/i);
    } finally {
      await stuck.close().catch(() => {});
    }
  });

  it("fails to connect within the URL's connect_timeout", async () => {
    await expect(databaseExists(`postgresql://hub@127.0.0.1:${port}/pairgate?connect_timeout=1`)).rejects.toThrow(/timeout/i);
  });
});
