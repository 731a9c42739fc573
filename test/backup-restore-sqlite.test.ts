import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, expectOk, logIn, newAccount, register } from "./support/client.ts";
import { runHubCommand } from "./support/hub-command.ts";
import { launchHubProcess, type HubProcess } from "./support/hub-process.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-backup-"));
const dataDir = path.join(root, "data");
const env = { PAIRGATE_DATA_DIR: dataDir, PAIRGATE_CERT_DIR: path.join(root, "certs"), PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false", PAIRGATE_LOG_LEVEL: "warn" };
const database = path.join(dataDir, "pairgate.db");
let hub: HubProcess | undefined;
const carol = newAccount("carol");

const accountsIn = (file: string) => {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    return (db.prepare(`SELECT username FROM "User" ORDER BY username`).all() as { username: string }[]).map((row) => row.username);
  } finally {
    db.close();
  }
};

beforeAll(async () => {
  hub = await launchHubProcess(env, root);
  for (const name of ["alice", "bob"]) await register(hub.asTestHub(), newAccount(name));
});
afterAll(async () => {
  await hub?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe("pairgate-hub backup and restore (SQLite)", () => {
  it("backs up while the hub serves traffic: the copy is 0600, opens, and holds the accounts", async () => {
    // Registrations and logins keep the hub writing while the backup copies.
    const traffic = (async () => {
      await register(hub!.asTestHub(), carol);
      for (let i = 0; i < 3; i += 1) {
        const { socket } = await logIn(hub!.asTestHub(), carol);
        expectOk(await call(socket, "session:list", {}));
        socket.disconnect();
      }
    })();
    const backup = path.join(root, "during.db");
    const run = await runHubCommand(["backup", backup], env, root);
    await traffic;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Backed up .* to .*during\.db \(\d account\(s\), 0 device\(s\)\)/);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(accountsIn(backup)).toEqual(expect.arrayContaining(["alice", "bob"]));
    const db = new BetterSqlite3(backup, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
    // One self-contained file: nothing beside it, and no temporary file left.
    expect(readdirSync(root).filter((name) => name.includes("during"))).toEqual(["during.db"]);
  });

  it("never replaces an existing file", async () => {
    const run = await runHubCommand(["backup", path.join(root, "during.db")], env, root);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain("already exists; choose a new file name");
  });

  it("refuses to restore while the hub runs, and changes nothing", async () => {
    const before = statSync(database).ino;
    const run = await runHubCommand(["restore", path.join(root, "during.db")], env, root);
    expect(run.code).toBe(75);
    expect(run.stderr).toContain(`a hub is running on ${database}; stop every hub process first`);
    expect(statSync(database).ino).toBe(before);
  });

  it("refuses a file that is not a PairGate database before touching anything", async () => {
    await hub!.stop();
    hub = undefined;
    const bogus = path.join(root, "bogus.db");
    const other = new BetterSqlite3(bogus);
    other.exec("CREATE TABLE notes (text TEXT)");
    other.close();
    const run = await runHubCommand(["restore", bogus], env, root);
    expect(run.code).toBe(65);
    expect(run.stderr).toContain("is not a PairGate database");
    expect(accountsIn(database)).toContain("carol");
  });

  it("restores when the hub is stopped, keeps the old database, and the hub starts on the restored one", async () => {
    const before = path.join(root, "before-dave.db");
    expect((await runHubCommand(["backup", before], env, root)).code).toBe(0);
    hub = await launchHubProcess(env, root);
    await register(hub.asTestHub(), newAccount("dave"));
    await hub.stop();
    hub = undefined;

    const run = await runHubCommand(["restore", before], env, root);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("The database as it was is kept as");
    expect(accountsIn(database)).not.toContain("dave");
    expect(statSync(database).mode & 0o777).toBe(0o600);
    const kept = readdirSync(dataDir).find((name) => name.startsWith("pairgate.db.before-restore-"))!;
    expect(accountsIn(path.join(dataDir, kept))).toContain("dave");
    expect(existsSync(`${database}-wal`)).toBe(false);

    hub = await launchHubProcess(env, root);
    const { socket } = await logIn(hub.asTestHub(), carol);
    expectOk(await call(socket, "account:me", {}));
    socket.disconnect();
  });
});
