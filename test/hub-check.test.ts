import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseProvider } from "../server/db/database-url.ts";
import { applyMigrations } from "../server/db/migrate.ts";
import { newHubKey, hubKeyText } from "../server/secret-key.ts";
import { expectOk, call, logIn, newAccount, register } from "./support/client.ts";
import { pairDevice } from "./support/device.ts";
import { commandEnv, runHubCommand } from "./support/hub-command.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { MigrationsFolder } from "./support/migration-cases.ts";
import { dropPostgresTestDatabase, postgresTestDatabase, testDatabaseKind } from "./support/test-database.ts";

const workspace = mkdtempSync(path.join(os.tmpdir(), "pairgate-hub-check-"));
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
  const alice = newAccount("alice");
  await register(hub, alice);
  const { socket } = await logIn(hub, alice);
  await pairDevice(hub, socket);
  expectOk(await call(socket, "device:list", {}));
  socket.disconnect();
  await hub.stop();
});
afterAll(async () => {
  await hub.destroy();
  rmSync(workspace, { recursive: true, force: true });
});

describe("pairgate-hub check", () => {
  it("says the settings, database, migrations and secret key are in order, and exits 0", async () => {
    const run = await runHubCommand(["check"], commandEnv(hub), workspace);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("has every migration applied");
    expect(run.stdout).toContain("opens the stored device secrets");
  });

  it("names a bad setting from the environment in one sentence and exits 78", async () => {
    const run = await runHubCommand(["check"], { ...commandEnv(hub), PAIRGATE_PORT: "eighty" }, workspace);
    expect(run.code).toBe(78);
    expect(run.stderr.trim().split("\n")).toEqual([expect.stringMatching(/^pairgate-hub: Invalid settings: PAIRGATE_PORT: Must be a port number/)]);
  });

  it("names a bad setting from the settings file, and lets the environment override the file", async () => {
    const file = path.join(workspace, "hub.toml");
    writeFileSync(file, `# the hub\nPAIRGATE_BCRYPT_COST = 99\nPAIRGATE_LOG_LEVEL = "silent"\n`);
    const bad = await runHubCommand(["--config", file, "check"], commandEnv(hub), workspace);
    expect(bad.code).toBe(78);
    expect(bad.stderr).toMatch(/PAIRGATE_BCRYPT_COST: .*\(from the environment or .*hub\.toml\)/);

    const overridden = await runHubCommand(["check", "--config", file], { ...commandEnv(hub), PAIRGATE_BCRYPT_COST: "10" }, workspace);
    expect(overridden.code).toBe(0);

    writeFileSync(file, `PAIRGATE_PROT = 8443\n`);
    const misspelt = await runHubCommand(["check"], { ...commandEnv(hub), PAIRGATE_CONFIG: file }, workspace);
    expect(misspelt.code).toBe(78);
    expect(misspelt.stderr).toContain("hub.toml, line 1: PAIRGATE_PROT is not a setting");
  });

  it("finds a database with a migration not applied, names it, and exits 1", async () => {
    const migrations = MigrationsFolder.copyOf(testDatabaseKind() === "postgresql" ? "postgresql" : "sqlite", path.join(workspace, "migrations"));
    const last = migrations.names().at(-1)!;
    rmSync(path.join(migrations.dir, last), { recursive: true });
    const dataDir = path.join(workspace, "behind");
    mkdirSync(dataDir, { mode: 0o700 });
    const databaseUrl = testDatabaseKind() === "postgresql" ? await postgresTestDatabase(dataDir) : `file:${path.join(dataDir, "pairgate.db")}`;
    await applyMigrations(databaseUrl, { migrationsDir: migrations.dir });
    try {
      const run = await runHubCommand(["check"], { PAIRGATE_DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, workspace);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`PROBLEM 1 database migration(s) are not applied (${last})`);
      expect(run.stderr).toContain("1 problem(s) found");
    } finally {
      if (databaseProvider(databaseUrl) === "postgresql") await dropPostgresTestDatabase(databaseUrl);
    }
  });

  it("finds a secret key that does not open the stored device secrets", async () => {
    const run = await runHubCommand(["check"], { ...commandEnv(hub), PAIRGATE_SECRET_KEY: hubKeyText(newHubKey()).trim() }, workspace);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("PROBLEM The secret key (PAIRGATE_SECRET_KEY) does not open the stored device secrets");
  });

  it("finds a data folder open to other users", async () => {
    chmodSync(hub.dataDir, 0o755);
    try {
      const run = await runHubCommand(["check"], commandEnv(hub), workspace);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`PROBLEM The data folder ${hub.dataDir} is open to other users (mode 0755); run \`chmod 700 ${hub.dataDir}\`.`);
    } finally {
      chmodSync(hub.dataDir, 0o700);
    }
  });

  it("finds no database where the settings point", async () => {
    const dataDir = path.join(workspace, "empty");
    mkdirSync(dataDir, { mode: 0o700 });
    const run = await runHubCommand(["check"], { PAIRGATE_DATA_DIR: dataDir }, workspace);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`PROBLEM There is no database at ${path.join(dataDir, "pairgate.db")}`);
  });
});
