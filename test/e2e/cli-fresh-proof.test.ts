import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRESH_PROOF_TTL_SECONDS } from "#protocol";
import { type CliRun, runCli } from "../support/cli-process.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

// Sudo mode from the terminal client: it asks for the password once when the hub wants a fresh
// proof, proves it and runs the action; right after a login it asks nothing.

const PASSWORD = "violet-ember-canyon-42";
const STALE_MS = (FRESH_PROOF_TTL_SECONDS + 60) * 1000;

let hub: TestHub;
let home: string;

function pairgate(args: string[], input = ""): Promise<CliRun> {
  return runCli(args, { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile }, input);
}

const json = (run: CliRun) => JSON.parse(run.stdout) as { ok: boolean; data: any; error: any };
const reauthentications = () => hub.hub.context.db.auditEvent.count({ where: { action: "session.reauthenticated" } });

beforeAll(async () => {
  hub = await startTestHub();
  home = await mkdtemp(join(tmpdir(), "pairgate-cli-fresh-proof-"));
  expect((await pairgate(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  expect((await pairgate(["register", "--username", "nell", "--email", "nell@example.com", "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
  expect((await pairgate(["login", "--username", "nell", "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
}, 120_000);
afterAll(async () => {
  await hub?.destroy();
  await rm(home, { recursive: true, force: true });
});

describe("pairgate and sudo mode", () => {
  it("asks for nothing right after a login", async () => {
    const run = await pairgate(["recovery", "generate", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.codes).toHaveLength(10);
    expect(await reauthentications()).toBe(0);
  });

  it("later reads the password once, proves it to the hub and generates the codes", async () => {
    hub.clock.advance(STALE_MS);
    const run = await pairgate(["recovery", "generate", "--json", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.codes).toHaveLength(10);
    expect(await reauthentications()).toBe(1);
  });

  it("fails with the hub's reason on a wrong password, and changes nothing", async () => {
    hub.clock.advance(STALE_MS);
    const before = await hub.hub.context.db.recoveryCode.findMany({ select: { id: true } });
    const run = await pairgate(["recovery", "generate", "--json", "--password-stdin"], "not-my-password-9\n");
    expect(run.code).not.toBe(0);
    expect(json(run).error.code).toBe("invalid_credentials");
    expect(await hub.hub.context.db.recoveryCode.findMany({ select: { id: true } })).toEqual(before);
  });

  it("without a terminal or --password-stdin, says how to give the password", async () => {
    const run = await pairgate(["recovery", "generate"]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--password-stdin");
  });

  it("changes the email address the same way, and says to confirm the new one", async () => {
    const run = await pairgate(["change-email", "--email", "nell@example.net", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("nell@example.net");
    expect(run.stdout).toContain("pairgate verify-email --username nell");
    expect((await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: "nell" } })).email).toBe("nell@example.net");
  });
});
