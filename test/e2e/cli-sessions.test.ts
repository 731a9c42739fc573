import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { json, machine, type Machine } from "./pairgate-machine.ts";

/** Sessions a person can tell apart and end without copying a whole id. */
const PASSWORD = "violet-ember-canyon-42";
let hub: TestHub;
let scratch: string;
let laptop: Machine;
const others: Machine[] = [];

async function logInOn(on: Machine, name: string): Promise<void> {
  const run = await on.run(["login", "--username", "sam", "--password-stdin", "--name", name], `${PASSWORD}\n`);
  expect(run.code, run.stderr).toBe(0);
}

/** Another machine of sam's, with the same key (as after copying the key folder). */
async function anotherMachine(name: string): Promise<Machine> {
  const home = join(scratch, name);
  // The keys only: a copied session.json would be the laptop's session, which a login here would end.
  await cp(laptop.home, home, { recursive: true, filter: (source) => !source.endsWith("session.json") });
  const other = machine(hub, home);
  await logInOn(other, name);
  others.push(other);
  return other;
}

beforeAll(async () => {
  hub = await startTestHub();
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-sessions-"));
  laptop = machine(hub, join(scratch, "laptop"));
  expect((await laptop.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  expect((await laptop.run(["register", "--username", "sam", "--email", "sam@example.com", "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
  await logInOn(laptop, "sam-laptop");
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate sessions", () => {
  it("shows short ids, and revoke takes the id as shown and says whose session ended", async () => {
    const desktop = await anotherMachine("sam-desktop");
    const { sessions } = json(await laptop.run(["sessions", "--json"])).data as { sessions: { id: string; clientName: string }[] };
    const desktopId = sessions.find((session) => session.clientName === "sam-desktop")!.id;
    const listed = await laptop.run(["sessions"]);
    const row = listed.stdout.split("\n").find((line) => line.includes("sam-desktop"))!;
    const shown = row.split(/\s+/)[0]!;
    expect(shown.length).toBeLessThan(desktopId.length);
    expect(desktopId.startsWith(shown)).toBe(true);
    expect(listed.stdout).toMatch(/ID\s+CLIENT\s+ADDRESS\s+LAST USED\s+EXPIRES/);

    const revoked = await laptop.run(["sessions", "revoke", shown]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/^Ended the session of sam-desktop at \S+, last used \d{4}-\d{2}-\d{2} \d{2}:\d{2}Z\.$/m);
    expect((await desktop.run(["whoami"])).code).toBe(3);
  });

  it("refuses a prefix that fits no session, in words", async () => {
    const run = await laptop.run(["sessions", "revoke", "zzzz"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('No active session of yours has an id starting with "zzzz".');
  });

  it("on a terminal, without an id, offers the sessions to pick from, described", async () => {
    const phone = await anotherMachine("sam-phone");
    const picking = laptop.launch(["sessions", "revoke"], true);
    await picking.waitForOutput(/Which session should end\?/);
    await picking.waitForOutput(/sam-phone at \S+, last used/);
    // The list is in the hub's order; move to sam-phone's line, then choose it.
    const screen = picking.output();
    const lines = screen.slice(screen.lastIndexOf("Which session should end?")).split("\n").filter((line) => /last used/.test(line));
    const index = lines.findIndex((line) => line.includes("sam-phone"));
    for (let step = 0; step < index; step += 1) picking.write("\x1b[B");
    picking.write("\r");
    const run = await picking.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Ended the session of sam-phone");
    expect((await phone.run(["whoami"])).code).toBe(3);
    expect((await laptop.run(["whoami"])).code).toBe(0);
  });
});
