import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectOk, logIn, newAccount, register } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { testDatabaseKind } from "./support/test-database.ts";

const repo = path.resolve(import.meta.dirname, "..");
const elsewhere = mkdtempSync(path.join(os.tmpdir(), "pairgate-admin-command-"));
let hub: TestHub;
const alice = newAccount("alice");

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
  await register(hub, alice);
  await register(hub, newAccount("bob"));
});
afterAll(async () => {
  await hub.destroy();
  rmSync(elsewhere, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The hub's settings come only from each test's own variables.
const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("PAIRGATE_") && name !== "DATABASE_URL"));

/** What `npm run hub -- ARGS` runs: tsx's command line on the hub's entry file, in another folder. */
function runHub(args: string[], env: Record<string, string>): Promise<Run> {
  const child = spawn(process.execPath, [path.join(repo, "node_modules/tsx/dist/cli.mjs"), path.join(repo, "server/main.ts"), ...args], {
    cwd: elsewhere,
    env: { ...inherited, PAIRGATE_LOG_LEVEL: "silent", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}

/** The test hub's settings, as its operator would give them: its data folder, and its database when that is not SQLite there. */
const hubEnv = () => ({ PAIRGATE_DATA_DIR: hub.dataDir, ...(testDatabaseKind() === "postgresql" ? { DATABASE_URL: hub.settings.databaseUrl } : {}) });

const role = async (username: string) => (await hub.hub.context.db.user.findUniqueOrThrow({ where: { username } })).role;

describe("npm run hub -- admin create USERNAME", () => {
  it("makes a registered account an admin in the hub's database, audited, and exits 0", async () => {
    const run = await runHub(["admin", "create", "Alice"], hubEnv());
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining("alice is now an administrator") });
    expect(await role("alice")).toBe("admin");
    expect(await role("bob")).toBe("user");
    expect(await hub.hub.context.db.auditEvent.count({ where: { action: "account.promoted_admin", user: { username: "alice" } } })).toBe(1);

    const { socket } = await logIn(hub, alice);
    expect(expectOk(await call(socket, "admin:list-users", {})).total).toBe(2);
    socket.disconnect();
  });

  it("changes nothing for an account that is already an admin", async () => {
    const run = await runHub(["admin", "create", "alice"], hubEnv());
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining("already an administrator") });
    expect(await hub.hub.context.db.auditEvent.count({ where: { action: "account.promoted_admin" } })).toBe(1);
  });

  it("finds the database through DATABASE_URL as the hub does", async () => {
    const run = await runHub(["admin", "create", "bob"], { PAIRGATE_DATA_DIR: path.join(elsewhere, "unused"), DATABASE_URL: hub.settings.databaseUrl });
    expect(run.code).toBe(0);
    expect(await role("bob")).toBe("admin");
    expect(existsSync(path.join(elsewhere, "unused"))).toBe(false);
  });

  it("exits 67 naming the account when no such account is registered", async () => {
    const run = await runHub(["admin", "create", "nobody"], hubEnv());
    expect(run.code).toBe(67);
    expect(run.stderr).toContain('no account "nobody"');
  });

  it("exits 66 and creates nothing where there is no hub database", async () => {
    const empty = path.join(elsewhere, "no-hub-here");
    const run = await runHub(["admin", "create", "alice"], { PAIRGATE_DATA_DIR: empty });
    expect(run.code).toBe(66);
    expect(run.stderr).toContain(path.join(empty, "pairgate.db"));
    expect(existsSync(empty)).toBe(false);
  });

  it("brings the database up to the hub's migrations before it looks", async () => {
    const dataDir = path.join(elsewhere, "old-hub");
    mkdirSync(dataDir);
    writeFileSync(path.join(dataDir, "pairgate.db"), "");
    expect((await runHub(["admin", "create", "alice"], { PAIRGATE_DATA_DIR: dataDir })).code).toBe(67);
    const db = new BetterSqlite3(path.join(dataDir, "pairgate.db"), { readonly: true });
    const applied = db.prepare(`SELECT COUNT(*) AS count FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`).get() as { count: number };
    db.close();
    expect(applied.count).toBeGreaterThan(0);
  });

  it.each([
    ["no username", ["admin", "create"]],
    ["an invalid username", ["admin", "create", "not a name"]],
    ["an unknown admin command", ["admin", "promote", "alice"]],
  ])("exits 64 on %s", async (_label, args) => {
    expect((await runHub(args, hubEnv())).code).toBe(64);
  });

  it("exits 78 naming the variable on a bad setting", async () => {
    const run = await runHub(["admin", "create", "alice"], { ...hubEnv(), PAIRGATE_BCRYPT_COST: "99" });
    expect(run.code).toBe(78);
    expect(run.stderr).toContain("PAIRGATE_BCRYPT_COST");
  });
});
