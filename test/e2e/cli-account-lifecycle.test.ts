import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { type BoundAuthenticator, bindAuthenticator, json, machine, type Machine, outboxReader } from "./pairgate-machine.ts";

/**
 * The real `pairgate` through an account's life on a hub that requires email
 * verification, reading every code from the hub's outbox folder as a person would.
 */
const PASSWORD = "violet-ember-canyon-42";
const NEW_PASSWORD = "quiet-lantern-harbor-77";
const VERIFY_SUBJECT = /Confirm your PairGate email address/;
const RESET_SUBJECT = /Reset your PairGate password/;
const KEY_SUBJECT = /A new machine wants to log in/;
const RECOVERY_CODE = /^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/;

let hub: TestHub;
let scratch: string;
let laptop: Machine;
let nextCode: ReturnType<typeof outboxReader>;
let phone: BoundAuthenticator;
let recoveryCodes: string[];

const login = (on: Machine, password: string, extra: string[] = []) => on.run(["login", "--username", "alice", "--password-stdin", ...extra], `${password}\n`);

beforeAll(async () => {
  // Three reset emails are asked for here, within a minute; the per-address limit has its own tests.
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" }, rateLimits: { resetMailsPerAddress: { points: 20, durationSeconds: 60 } } });
  nextCode = outboxReader(hub);
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-lifecycle-"));
  laptop = machine(hub, join(scratch, "laptop"));
  expect((await laptop.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate through an account's life, codes read from the hub's outbox", () => {
  it("register says to check the email, and where the outbox of a local hub is", async () => {
    const run = await laptop.run(["register", "--username", "alice", "--email", "alice@example.test", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("The hub emailed a 6-digit code to alice@example.test");
    expect(run.stdout).toContain("outbox");
    expect(run.stdout).toContain("Next: pairgate verify-email --username alice");
  });

  it("login before verification is refused with exit code 3 and a sentence pointing to verify-email", async () => {
    const run = await login(laptop, PASSWORD);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("pairgate verify-email --username alice");
    const scripted = await login(laptop, PASSWORD, ["--json"]);
    expect(json(scripted).error).toMatchObject({ code: "email_not_verified", exitCode: 3 });
  });

  it("verify-email refuses a wrong code, then resend-verification mails a new one that confirms the address", async () => {
    const first = await nextCode("alice@example.test", VERIFY_SUBJECT);
    const wrong = first === "000000" ? "111111" : "000000";
    const refused = await laptop.run(["verify-email", "--username", "alice", "--code", wrong]);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain("pairgate resend-verification --username alice");

    const resend = await laptop.run(["resend-verification", "--username", "alice"]);
    expect(resend.code, resend.stderr).toBe(0);
    const code = await nextCode("alice@example.test", VERIFY_SUBJECT);
    const run = await laptop.run(["verify-email", "--username", "alice", "--code", code]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Email address confirmed for alice.");
  });

  it("verify-email checks the code's shape before asking the hub, and asks for it only on a terminal", async () => {
    const typo = await laptop.run(["verify-email", "--username", "alice", "--code", "12345"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("6 digits");
    const noTerminal = await laptop.run(["verify-email", "--username", "alice"]);
    expect(noTerminal.code).toBe(2);
    expect(noTerminal.stderr).toContain("Pass --code");
  });

  it("login then works", async () => {
    const run = await login(laptop, PASSWORD);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Logged in as alice");
  });

  it("device add pairs the first device and, without a terminal, hints at recovery codes", async () => {
    const cli = laptop.launch(["device", "add"]);
    cli.endInput();
    const [, code] = await cli.waitForOutput(/^\s+([0-9A-Z]{4}-[0-9A-Z]{4})$/m);
    phone = await bindAuthenticator(hub, code!, "phone");
    const run = await cli.done;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Paired phone");
    expect(run.stderr).toContain("pairgate recovery generate");
  });

  it("recovery generate shows 10 codes once with a warning to store them, and --json gives them to scripts", async () => {
    const human = await laptop.run(["recovery", "generate"]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toContain("Your 10 recovery codes:");
    expect(human.stdout).toContain("shown only this once");
    expect(human.stdout.match(/[0-9A-Z]{5}-[0-9A-Z]{5}/g)).toHaveLength(10);

    const scripted = await laptop.run(["recovery", "generate", "--json"]);
    expect(scripted.code, scripted.stderr).toBe(0);
    recoveryCodes = json(scripted).data.codes;
    expect(recoveryCodes).toHaveLength(10);
    for (const code of recoveryCodes) expect(code).toMatch(RECOVERY_CODE);
  });

  it("password forgot answers the same for an unknown login, and mails a code for a known one", async () => {
    const unknown = await laptop.run(["password", "forgot", "--login", "nobody@example.test", "--json"]);
    const known = await laptop.run(["password", "forgot", "--login", "alice@example.test", "--json"]);
    expect(known.code, known.stderr).toBe(0);
    expect(json(unknown).data.sent).toBe(true);
    expect(json(known).data.sent).toBe(true);
  });

  it("password reset in a script asks for the device's code when the account has a device, then resets with it", async () => {
    const code = await nextCode("alice@example.test", RESET_SUBJECT);
    const withoutDevice = await laptop.run(["password", "reset", "--username", "alice", "--code", code, "--password-stdin"], `${NEW_PASSWORD}\n`);
    expect(withoutDevice.code).toBe(3);
    expect(withoutDevice.stderr).toContain("--otp CODE");

    const args = ["password", "reset", "--username", "alice", "--code", code, "--otp", phone.nextCode(), "--password-stdin"];
    const run = await laptop.run(args, `${NEW_PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Password reset for alice. Every session of the account has ended.");
    expect(await laptop.savedSession()).toBeUndefined();
  });

  it("after the reset only the new password logs in", async () => {
    expect((await login(laptop, PASSWORD, ["--otp", phone.nextCode()])).code).toBe(3);
    const run = await login(laptop, NEW_PASSWORD, ["--otp", phone.nextCode()]);
    expect(run.code, run.stderr).toBe(0);
  });

  it("with the device lost, a recovery code logs in, once", async () => {
    const run = await login(laptop, NEW_PASSWORD, ["--recovery-code", recoveryCodes[0]!.toLowerCase()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Logged in as alice");

    const again = await login(laptop, NEW_PASSWORD, ["--recovery-code", recoveryCodes[0]!, "--json"]);
    expect(again.code).toBe(3);
    expect(json(again).error.code).toBe("invalid_code");
    expect(json(again).error.message).toContain("recovery code is wrong or was already used");
  });

  it("on a terminal, the one-time code prompt also takes a recovery code", async () => {
    const cli = laptop.launch(["login", "--username", "alice"], true);
    await cli.waitForOutput(/Password:/);
    cli.write(`${NEW_PASSWORD}\r`);
    await cli.waitForOutput(/Or type the device.s current code below \(or a recovery code, if you lost the device\)/);
    await cli.waitForOutput(/One-time code:/);
    cli.write(`${recoveryCodes[2]}\r`);
    const run = await cli.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Logged in as alice");
  });

  it("password reset on a terminal asks, hidden, for the code, the new password twice, then the device code or a recovery code", async () => {
    expect((await laptop.run(["password", "forgot", "--login", "alice"])).code).toBe(0);
    const code = await nextCode("alice@example.test", RESET_SUBJECT);
    const cli = laptop.launch(["password", "reset", "--username", "alice"], true);
    await cli.waitForOutput(/Code from the email:/);
    cli.write(`${code}\r`);
    await cli.waitForOutput(/New password:/);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/New password \(again\):/);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/Device code \(or a recovery code\):/);
    cli.write(`${recoveryCodes[1]}\r`);
    const run = await cli.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Password reset for alice.");
    expect(run.stdout).not.toContain(code);
    expect(run.stdout).not.toContain(PASSWORD);
  });
});

describe("pairgate on a second machine", () => {
  let desktop: Machine;

  beforeAll(async () => {
    desktop = machine(hub, join(scratch, "desktop"));
    expect((await desktop.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  });

  it("login sends the new machine's key, which the device's code adds to the account", async () => {
    const run = await login(desktop, PASSWORD, ["--otp", phone.nextCode()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("Logged in as alice");
  });

  it("keys list shows both machines' keys, marking this machine's", async () => {
    const run = await desktop.run(["keys", "list", "--json"]);
    expect(run.code, run.stderr).toBe(0);
    const keys: { id: string; thisMachine: boolean }[] = json(run).data.keys;
    expect(keys).toHaveLength(2);
    expect(keys.filter((key) => key.thisMachine)).toHaveLength(1);
    const human = await desktop.run(["keys", "list"]);
    expect(human.stdout).toMatch(/ID\s+FINGERPRINT \(SHA-256\)\s+ADDED\s+LAST USED/);
    expect(human.stdout).toContain("2 keys; * marks this machine's.");
  });

  it("keys remove refuses this machine's own key, and removes the other machine's, ending its session", async () => {
    expect((await login(laptop, PASSWORD, ["--otp", phone.nextCode()])).code).toBe(0);
    const { keys } = json(await desktop.run(["keys", "list", "--json"])).data as { keys: { id: string; thisMachine: boolean }[] };
    const own = keys.find((key) => key.thisMachine)!;
    const other = keys.find((key) => !key.thisMachine)!;

    const refused = await desktop.run(["keys", "remove", own.id, "--yes"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("That is this machine's key");
    const unconfirmed = await desktop.run(["keys", "remove", other.id]);
    expect(unconfirmed.code).toBe(2);

    // On a slow machine the desktop's login may be over 5 minutes old by now: the password on stdin meets sudo mode then.
    const run = await desktop.run(["keys", "remove", other.id, "--yes", "--json", "--password-stdin"], `${PASSWORD}\n`);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run).data).toMatchObject({ removed: true, sessionsEnded: 1 });
    const stale = await laptop.run(["whoami"]);
    expect(stale.code).toBe(3);
  });
});

describe("pairgate on a second machine of an account without a device", () => {
  let first: Machine;
  let second: Machine;
  let third: Machine;
  const beaLogin = (on: Machine, extra: string[] = []) => on.run(["login", "--username", "bea", "--password-stdin", ...extra], `${PASSWORD}\n`);

  beforeAll(async () => {
    first = machine(hub, join(scratch, "bea-1"));
    second = machine(hub, join(scratch, "bea-2"));
    third = machine(hub, join(scratch, "bea-3"));
    const generated = await Promise.all([first, second, third].map((one) => one.run(["keys", "generate", "--bits", "2048"])));
    for (const run of generated) expect(run.code).toBe(0);
    const registered = await first.run(["register", "--username", "bea", "--email", "bea@example.test", "--password-stdin"], `${PASSWORD}\n`);
    expect(registered.code, registered.stderr).toBe(0);
    const verified = await first.run(["verify-email", "--username", "bea", "--code", await nextCode("bea@example.test", VERIFY_SUBJECT)]);
    expect(verified.code, verified.stderr).toBe(0);
  });

  it("in a script, stops after the hub emails a code, and login --email-code with it adds the machine's key", async () => {
    const asked = await beaLogin(second);
    expect(asked.code).toBe(3);
    expect(asked.stderr).toContain("--email-code CODE");
    const run = await beaLogin(second, ["--email-code", await nextCode("bea@example.test", KEY_SUBJECT)]);
    expect(run.code, run.stderr).toBe(0);
    const keys = json(await second.run(["keys", "list", "--json"])).data.keys;
    expect(keys).toHaveLength(2);
  });

  it("on a terminal, asks for the emailed code and completes the same login with it", async () => {
    const cli = third.launch(["login", "--username", "bea"], true);
    await cli.waitForOutput(/Password:/);
    cli.write(`${PASSWORD}\r`);
    await cli.waitForOutput(/Code from the email \(or a recovery code\):/);
    cli.write(`${await nextCode("bea@example.test", KEY_SUBJECT)}\r`);
    const run = await cli.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Logged in as bea");
  });

  it("device add on a terminal offers recovery codes once the account's first device is paired", async () => {
    const cli = second.launch(["device", "add"], true);
    const [, code] = await cli.waitForOutput(/Your binding code:[\s\S]*?([0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4})/);
    await bindAuthenticator(hub, code!, "bea's phone");
    await cli.waitForOutput(/Make recovery codes now, in case you lose this device\?/);
    cli.write("\r");
    const run = await cli.done;
    expect(run.code, run.stdout).toBe(0);
    expect(run.stdout).toContain("Your 10 recovery codes:");
    expect(run.stdout).toContain("shown only this once");
  });
});
