import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { json, machine, type Machine } from "./pairgate-machine.ts";

/** `pairgate admin ...` run by an administrator, and refused to anyone else. */
const PASSWORD = "violet-ember-canyon-42";

let hub: TestHub;
let scratch: string;
let root: Machine;
let mallory: Machine;
let rootId: string;
let malloryId: string;

async function signUp(on: Machine, username: string): Promise<string> {
  expect((await on.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  const registered = await on.run(["register", "--username", username, "--email", `${username}@example.test`, "--password-stdin", "--json"], `${PASSWORD}\n`);
  expect(registered.code, registered.stderr).toBe(0);
  expect((await logIn(on, username)).code).toBe(0);
  return json(registered).data.user.id;
}

function logIn(on: Machine, username: string) {
  return on.run(["login", "--username", username, "--password-stdin"], `${PASSWORD}\n`);
}

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-admin-"));
  root = machine(hub, join(scratch, "root"));
  mallory = machine(hub, join(scratch, "mallory"));
  rootId = await signUp(root, "root");
  malloryId = await signUp(mallory, "mallory");
  // What `npm run hub -- admin create root` does (tested in test/admin-command.test.ts), done here
  // straight in the hub's database; the role is read when root next connects.
  await hub.hub.context.db.user.update({ where: { id: rootId }, data: { role: "admin" } });
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate admin", () => {
  it("is refused to an account that is not an administrator, saying how the first one is made", async () => {
    const run = await mallory.run(["admin", "users"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("This needs an administrator account");
    expect(run.stderr).toContain("npm run hub -- admin create USERNAME");
  });

  it("users lists the accounts in a table, searches them, and pages them", async () => {
    const human = await root.run(["admin", "users"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/USERNAME\s+ID\s+EMAIL\s+ROLE\s+DEVICES\s+CREATED\s+STATUS/);
    expect(human.stdout).toMatch(new RegExp(`root\\s+${rootId}\\s+root@example.test\\s+admin`));
    expect(human.stdout).toContain("Page 1 of 1: 2 users.");

    const found = await root.run(["admin", "users", "--search", "mall", "--json"]);
    expect(json(found).data.users.map((user: { id: string }) => user.id)).toEqual([malloryId]);

    const paged = await root.run(["admin", "users", "--page-size", "1", "--page", "1"]);
    expect(paged.stdout).toContain("Page 1 of 2: 2 users.");
    expect(paged.stdout).toContain("Next page: pairgate admin users --page-size 1 --page 2");
  });

  it("update changes a user's email, and refuses an unknown role or an unknown id", async () => {
    const run = await root.run(["admin", "update", malloryId, "--email", "mallory@new.example.test"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Updated: mallory <mallory@new.example.test> (id ${malloryId}): user, active, 0 devices.`);
    expect((await root.run(["admin", "update", malloryId, "--role", "root"])).code).toBe(2);
    expect((await root.run(["admin", "update", malloryId])).code).toBe(2);
    const unknown = await root.run(["admin", "update", "no-such-user", "--role", "user"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("No user is called no-such-user (by username, email address or id).");
  });

  it("lock ends the user's sessions and stops their logins until unlock", async () => {
    const locked = await root.run(["admin", "lock", "mallory", "--reason", "phishing", "--json"]); // by username
    expect(locked.code, locked.stderr).toBe(0);
    expect(json(locked).data).toMatchObject({ user: { locked: true, lockReason: "phishing" }, sessionsEnded: 1 });
    expect((await mallory.run(["whoami"])).code).toBe(3);
    const refused = await logIn(mallory, "mallory");
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("This account is locked by an administrator");

    const unlocked = await root.run(["admin", "unlock", "MALLORY@new.example.test"]); // by email, as typed
    expect(unlocked.code, unlocked.stderr).toBe(0);
    expect(unlocked.stdout).toContain("Unlocked: mallory");
    expect((await logIn(mallory, "mallory")).code).toBe(0);
  });

  it("refuses to lock or delete the administrator's own account, with a sentence saying so", async () => {
    const lock = await root.run(["admin", "lock", rootId]);
    expect(lock.code).toBe(1);
    expect(lock.stderr).toContain("You cannot lock your own account");
    const remove = await root.run(["admin", "delete", rootId, "--yes"]);
    expect(remove.stderr).toContain("You cannot delete your own account");
  });

  it("delete asks first on a terminal, needs --yes without one, and then removes the account", async () => {
    expect((await root.run(["admin", "delete", malloryId])).code).toBe(2);

    const declined = root.launch(["admin", "delete", malloryId], true);
    await declined.waitForOutput(/Delete mallory <mallory@new.example.test>/);
    declined.write("n\r");
    const kept = await declined.done;
    expect(kept.code).toBe(1);
    expect(kept.stdout).toContain("Nothing was changed: mallory is kept.");

    const run = await root.run(["admin", "delete", malloryId, "--yes"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Deleted mallory (id ${malloryId})`);
    expect((await mallory.run(["whoami"])).code).toBe(3);
    const list = await root.run(["admin", "users", "--json"]);
    expect(json(list).data.users.map((user: { username: string }) => user.username)).toEqual(["root"]);
  });
});

describe("naming a user among many", () => {
  it("finds the exact username past the first page of partial matches", async () => {
    const db = hub.hub.context.db;
    await db.user.create({ data: { id: "the-target", username: "target", email: "target@example.test", passwordHash: "x", createdAt: new Date(Date.now() - 60_000) } });
    // Newer, and matching the search "target" too, so the exact match is on the second page.
    await db.user.createMany({
      data: Array.from({ length: 101 }, (_unused, i) => ({ id: `target-${i}`, username: `target-${i}`, email: `target-${i}@example.test`, passwordHash: "x" })),
    });
    const run = await root.run(["admin", "update", "target", "--role", "user"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Updated: target <target@example.test> (id the-target)");
  });
});
