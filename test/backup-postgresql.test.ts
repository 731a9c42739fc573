import { existsSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandEnv, runHubCommand } from "./support/hub-command.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

const workspace = mkdtempSync(path.join(os.tmpdir(), "pairgate-backup-pg-"));
let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.destroy();
  rmSync(workspace, { recursive: true, force: true });
});

describe("pairgate-hub backup and restore on PostgreSQL", () => {
  it("backup checks the connection, says to use pg_dump, writes nothing and exits 1", async () => {
    const file = path.join(workspace, "hub.dump");
    const run = await runHubCommand(["backup", file], commandEnv(hub), workspace);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("reachable): back it up with pg_dump");
    expect(run.stderr).not.toMatch(/:[^:@/]+@/); // no password from the URL
    expect(existsSync(file)).toBe(false);
  });

  it("backup says so in one sentence when the database cannot be reached, and exits 69", async () => {
    const run = await runHubCommand(["backup", path.join(workspace, "x.dump")], { ...commandEnv(hub), DATABASE_URL: "postgresql://postgres:s3cret@127.0.0.1:1/pairgate" }, workspace);
    expect(run.code).toBe(69);
    expect(run.stderr).toMatch(/^pairgate-hub: postgresql:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/pairgate cannot be reached: .+\n$/);
    expect(run.stderr).not.toContain("s3cret");
  });

  it("restore points at pg_restore", async () => {
    const run = await runHubCommand(["restore", path.join(workspace, "hub.dump")], commandEnv(hub), workspace);
    expect(run.code).toBe(64);
    expect(run.stderr).toContain("restore with pg_restore");
  });
});
