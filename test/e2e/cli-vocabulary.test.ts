import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { machine, type Machine } from "./pairgate-machine.ts";

/** The same flag names for the same thing across commands, and password refusals in plain words. */
const PASSWORD = "violet-ember-canyon-42";
let hub: TestHub;
let scratch: string;
let ivy: Machine;

beforeAll(async () => {
  hub = await startTestHub();
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-vocabulary-"));
  ivy = machine(hub, join(scratch, "ivy"));
  expect((await ivy.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("naming the account", () => {
  it("takes --username and --login alike, and password forgot takes --username and --email too", async () => {
    const registered = await ivy.run(["register", "--username", "ivy", "--email", "ivy@example.com", "--password-stdin"], `${PASSWORD}\n`);
    expect(registered.code, registered.stderr).toBe(0);
    const login = await ivy.run(["login", "--login", "ivy", "--password-stdin"], `${PASSWORD}\n`);
    expect(login.code, login.stderr).toBe(0);
    for (const flags of [["--username", "ivy"], ["--email", "ivy@example.com"], ["--login", "ivy"]]) {
      const forgot = await ivy.run(["password", "forgot", ...flags]);
      expect(forgot.code, `${flags.join(" ")}: ${forgot.stderr}`).toBe(0);
      expect(forgot.stdout).toContain("If an account matches");
    }
    const both = await ivy.run(["login", "--username", "ivy", "--login", "someone-else", "--password-stdin"], `${PASSWORD}\n`);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("name different accounts");
  });
});

describe("a password the policy refuses", () => {
  it("is explained in words, without the payload's field name", async () => {
    const other = machine(hub, join(scratch, "other"));
    expect((await other.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
    const run = await other.run(["register", "--username", "oscar", "--email", "oscar@example.com", "--password-stdin"], "password123\n");
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/^The password was refused: \S/m);
    expect(run.stderr).not.toMatch(/password:|newPassword|\(input\)/i);
  });

  it("on a terminal, is refused as soon as it is typed, before it is asked again", async () => {
    const other = machine(hub, join(scratch, "typist"));
    expect((await other.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
    const typing = other.launch(["register", "--username", "tess", "--email", "tess@example.com"], true);
    await typing.waitForOutput(/Password:/);
    typing.write("tess12345\r");
    await typing.waitForOutput(/That password would be refused: .+ Choose another\./);
    expect(typing.output()).not.toContain("(again)");
    typing.write(`${PASSWORD}\r`);
    await typing.waitForOutput(/Password \(again\):/);
    typing.write(`${PASSWORD}\r`);
    const run = await typing.done;
    expect(run.code, run.stdout).toBe(0);
  });
});
