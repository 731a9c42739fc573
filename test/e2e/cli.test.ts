import { execFileSync } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, runCli } from "../support/cli-process.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";

const PASSWORD = "violet-ember-canyon-42";
const NEW_PASSWORD = "quiet-lantern-harbor-77";
const WRONG_PASSWORD = "not-the-password-913";

let hub: TestHub;
let scratch: string;
let laptop: string; // PAIRGATE_HOME of the machine the person registers from
let desktop: string; // a second machine holding the same key, for a second session

/** The real `pairgate` process, on a machine whose state is in `home`, pointed at the test hub. */
function pairgate(home: string, args: string[], input = "", env: Record<string, string> = {}): Promise<CliRun> {
  return runCli(args, { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile, ...env }, input, scratch);
}

function json(run: CliRun): { ok: boolean; data: any; error: any } {
  return JSON.parse(run.stdout);
}

beforeAll(async () => {
  hub = await startTestHub();
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-e2e-"));
  laptop = join(scratch, "laptop");
  desktop = join(scratch, "desktop");
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate against a real hub", () => {
  it("generates a key pair with owner-only files and prints its fingerprint", async () => {
    const run = await pairgate(laptop, ["keys", "generate", "--bits", "2048", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await stat(join(laptop, "private-key.pem"))).mode & 0o777).toBe(0o600);
    expect((await stat(laptop)).mode & 0o777).toBe(0o700);
  });

  it("refuses to overwrite the key pair without --force", async () => {
    const run = await pairgate(laptop, ["keys", "generate"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--force");
  });

  it("explains that a password is needed when there is no terminal and no --password-stdin", async () => {
    const run = await pairgate(laptop, ["register", "--username", "alice", "--email", "alice@example.com"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--password-stdin");
  });

  it("registers an account with this machine's public key", async () => {
    const run = await pairgate(laptop, ["register", "--username", "alice", "--email", "alice@example.com", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Registered alice <alice@example.com>");
  });

  it("refuses a wrong password with exit code 3, a sentence, and no trace of the password", async () => {
    const run = await pairgate(laptop, ["login", "--username", "alice", "--password-stdin"], `${WRONG_PASSWORD}\n`);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("The username or password is wrong.");
    expect(run.stdout + run.stderr).not.toContain(WRONG_PASSWORD);
    await expect(stat(join(laptop, "session.json"))).rejects.toThrow();
  });

  it("logs in with the password and the key signature, keeping the token in a 0600 file only", async () => {
    const run = await pairgate(laptop, ["login", "--username", "alice", "--password-stdin", "--name", "alice-laptop"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Logged in as alice");
    const session = JSON.parse(await readFile(join(laptop, "session.json"), "utf8"));
    expect(session).toMatchObject({ hub: hub.url, username: "alice" });
    expect((await stat(join(laptop, "session.json"))).mode & 0o777).toBe(0o600);
    expect(run.stdout + run.stderr).not.toContain(session.token);
  });

  it("shows who is logged in", async () => {
    const run = await pairgate(laptop, ["whoami", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const session = JSON.parse(await readFile(join(laptop, "session.json"), "utf8"));
    expect(json(run).data).toMatchObject({ user: { username: "alice", email: "alice@example.com" }, session: { id: session.sessionId } });
  });

  it("lists sessions, and revoking another machine's session logs that machine out", async () => {
    await copyKeys(laptop, desktop);
    const second = await pairgate(desktop, ["login", "--username", "alice", "--password-stdin", "--name", "alice-desktop"], `${PASSWORD}\n`);
    expect(second.code, second.stderr).toBe(0);

    const list = await pairgate(laptop, ["sessions", "--json"]);
    expect(list.code, list.stderr).toBe(0);
    const sessions: { id: string; clientName: string; current: boolean }[] = json(list).data.sessions;
    expect(sessions.map((session) => session.clientName).sort()).toEqual(["alice-desktop", "alice-laptop"]);
    const human = await pairgate(laptop, ["sessions"]);
    expect(human.stdout).toMatch(/ID\s+CLIENT\s+ADDRESS/);

    const desktopSession = sessions.find((session) => !session.current)!;
    const revoke = await pairgate(laptop, ["sessions", "revoke", desktopSession.id]);
    expect(revoke.code, revoke.stderr).toBe(0);

    const stale = await pairgate(desktop, ["whoami"]);
    expect(stale.code).toBe(3);
    expect(stale.stderr).toContain("Log in again");
    await expect(stat(join(desktop, "session.json"))).rejects.toThrow();
  });

  it("changes the password from two lines of stdin, after which only the new one logs in", async () => {
    const wrong = await pairgate(laptop, ["passwd", "--password-stdin"], `not-${PASSWORD}\n${NEW_PASSWORD}\n`);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("The current password is wrong; nothing was changed.");
    const run = await pairgate(laptop, ["passwd", "--password-stdin"], `${PASSWORD}\n${NEW_PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Password changed.");
    const old = await pairgate(desktop, ["login", "--username", "alice", "--password-stdin"], `${PASSWORD}\n`);
    expect(old.code).toBe(3);
    const fresh = await pairgate(desktop, ["login", "--username", "alice", "--password-stdin"], `${NEW_PASSWORD}\n`);
    expect(fresh.code, fresh.stderr).toBe(0);
  });

  it("shows the account's security events", async () => {
    const run = await pairgate(laptop, ["audit", "--limit", "50", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const events: { action: string }[] = json(run).data.events;
    expect(events.length).toBeGreaterThan(2);
    const human = await pairgate(laptop, ["audit", "--limit", "5"]);
    expect(human.stdout).toMatch(/TIME\s+ACTION/);
  });

  it("logs out, forgets the session, and then says so", async () => {
    const run = await pairgate(laptop, ["logout"]);
    expect(run.code, run.stderr).toBe(0);
    await expect(stat(join(laptop, "session.json"))).rejects.toThrow();
    const after = await pairgate(laptop, ["whoami", "--json"]);
    expect(after.code).toBe(3);
    expect(json(after).error.code).toBe("not_logged_in");
  });

  it("logs out everywhere with --all", async () => {
    const run = await pairgate(desktop, ["logout", "--all", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data.sessionsEnded).toBeGreaterThanOrEqual(1);
  });
});

describe("pairgate with a passphrase-protected key", () => {
  let bob: string;
  const passphrase = "plum-orchard-sunrise";

  beforeAll(() => {
    bob = join(scratch, "bob");
  });

  it("registers and logs in, taking the passphrase from PAIRGATE_KEY_PASSPHRASE", async () => {
    const keys = await pairgate(bob, ["keys", "generate", "--bits", "2048", "--passphrase-stdin"], `${passphrase}\n`);
    expect(keys.code, keys.stderr).toBe(0);
    expect(keys.stdout).toContain("encrypted with your passphrase");
    const register = await pairgate(bob, ["register", "--username", "bob", "--email", "bob@example.com", "--password-stdin"], `${PASSWORD}\n`);
    expect(register.code, register.stderr).toBe(0);
    const login = await pairgate(bob, ["login", "--username", "bob", "--password-stdin"], `${PASSWORD}\n`, { PAIRGATE_KEY_PASSPHRASE: passphrase });
    expect(login.code, login.stderr).toBe(0);
  });

  it("stops before contacting the hub when the passphrase is wrong or cannot be asked for", async () => {
    const wrong = await pairgate(bob, ["login", "--username", "bob", "--password-stdin"], `${PASSWORD}\n`, { PAIRGATE_KEY_PASSPHRASE: "nope" });
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toContain("The passphrase does not open this machine's private key.");
    const missing = await pairgate(bob, ["login", "--username", "bob", "--password-stdin"], `${PASSWORD}\n`);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("PAIRGATE_KEY_PASSPHRASE");
  });
});

describe("pairgate refusing bad input", () => {
  it("prints its help, listing the commands and exit codes, when started with no command and no terminal", async () => {
    const run = await pairgate(laptop, []);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Usage: pairgate");
    expect(run.stderr).toMatch(/Exit codes: 0 done/);
  });

  it("checks the username before asking the hub", async () => {
    const run = await pairgate(laptop, ["register", "--username", "A!", "--email", "a@example.com", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The username "A!" is not valid');
  });

  it("passes on the hub's reasons for refusing a weak password", async () => {
    const home = join(scratch, "carol");
    expect((await pairgate(home, ["keys", "generate", "--bits", "2048"])).code).toBe(0);
    const run = await pairgate(home, ["register", "--username", "carol", "--email", "carol@example.com", "--password-stdin", "--json"], "password\n");
    expect(run.code).toBe(1);
    expect(json(run).error.code).toBe("weak_password");
    expect(json(run).error.message).toContain("The password was refused");
  });
});

describe("pairgate when the hub cannot be trusted or reached", () => {
  it("refuses a hub whose certificate is not signed by the given CA, with exit code 5", async () => {
    const otherCa = join(scratch, "other-ca.pem");
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", join(scratch, "other-ca.key"), "-out", otherCa, "-days", "1", "-subj", "/CN=Other CA"], { stdio: "ignore" });
    const run = await pairgate(laptop, ["login", "--username", "alice", "--password-stdin", "--ca", otherCa], `${NEW_PASSWORD}\n`);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("Could not verify the hub's TLS certificate");
  });

  it("says the hub is unreachable when nothing listens, with exit code 5", async () => {
    const run = await pairgate(laptop, ["login", "--username", "alice", "--password-stdin", "--hub", "https://127.0.0.1:1"], `${NEW_PASSWORD}\n`);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain("Cannot reach the hub at https://127.0.0.1:1");
  });
});

/** The same key on a second machine: the hub sees one account key and two sessions. */
async function copyKeys(from: string, to: string): Promise<void> {
  await mkdir(to, { mode: 0o700 });
  for (const file of ["private-key.pem", "public-key.pem"]) await copyFile(join(from, file), join(to, file));
}
