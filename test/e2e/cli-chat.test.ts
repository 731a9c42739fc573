import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { jsonLines, machine, type Machine } from "./pairgate-machine.ts";

/** Two real `pairgate chat` processes talking through the hub. */
const PASSWORD = "violet-ember-canyon-42";

let hub: TestHub;
let scratch: string;
let ann: Machine;
let ben: Machine;

async function signUp(on: Machine, username: string): Promise<void> {
  expect((await on.run(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  const registered = await on.run(["register", "--username", username, "--email", `${username}@example.test`, "--password-stdin"], `${PASSWORD}\n`);
  expect(registered.code, registered.stderr).toBe(0);
  expect((await on.run(["login", "--username", username, "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
}

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" } });
  scratch = await mkdtemp(join(tmpdir(), "pairgate-cli-chat-"));
  ann = machine(hub, join(scratch, "ann"));
  ben = machine(hub, join(scratch, "ben"));
  await signUp(ann, "ann");
  await signUp(ben, "ben");
});

afterAll(async () => {
  await hub?.destroy();
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate chat", () => {
  it("sends each line of input and prints what the other side sends, live, in both directions", async () => {
    const benChat = ben.launch(["chat", "ann", "--json"]);
    await benChat.waitForOutput(/"chatting":\{"with":"ann","as":"ben","listening":false\}/);
    const annChat = ann.launch(["chat", "ben"]);
    await annChat.waitForOutput(/Chatting with ben as ann/);

    annChat.write("hello ben\n");
    await benChat.waitForOutput(/"received":\{[^}]*"from":"ann","text":"hello ben"/);
    benChat.write("hi ann, all good\n");
    await annChat.waitForOutput(/\[\d{2}:\d{2}\] ben: hi ann, all good/);

    annChat.endInput();
    benChat.endInput();
    const annRun = await annChat.done;
    const benRun = await benChat.done;
    expect(annRun.code, annRun.stderr).toBe(0);
    expect(benRun.code, benRun.stderr).toBe(0);
    const lines = jsonLines(benRun.stdout);
    expect(lines[0]).toEqual({ ok: true, data: { chatting: { with: "ann", as: "ben", listening: false } } });
    expect(lines).toContainEqual({ ok: true, data: { sent: { messageId: expect.any(String), to: "ann", text: "hi ann, all good", delivered: true } } });
    expect(annRun.stdout.trim().split("\n")).toHaveLength(1);
  });

  it("keeps what is sent to someone not connected, and shows it to them, in order, when they open a chat", async () => {
    const sent = await ann.run(["chat", "ben", "--json"], "are you there?\n\nstill there?\n");
    expect(sent.code, sent.stderr).toBe(0);
    const lines = jsonLines(sent.stdout);
    expect(lines[0]).toEqual({ ok: true, data: { chatting: { with: "ben", as: "ann", listening: false } } });
    expect(lines.slice(1)).toEqual([
      { ok: true, data: { sent: { messageId: expect.any(String), to: "ben", text: "are you there?", delivered: false, waitsUntil: expect.any(String) } } },
      { ok: true, data: { sent: { messageId: expect.any(String), to: "ben", text: "still there?", delivered: false, waitsUntil: expect.any(String) } } },
    ]);

    const read = await ben.run(["chat", "ann"], "");
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout.trim().split("\n")).toEqual([expect.stringMatching(/^\[\d{2}:\d{2}\] ann: are you there\?$/), expect.stringMatching(/ann: still there\?$/)]);
    // Read once: the hub no longer holds them.
    const again = await ben.run(["chat", "ann"], "");
    expect(again.stdout).toBe("");
  });

  it("refuses a user who does not exist at once, before any line is read, also as JSON", async () => {
    const run = await ann.run(["chat", "nobody"], "hello?\n");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("There is no such user on the hub.");
    expect(run.stderr).not.toContain("Chatting with");
    const json = await ann.run(["chat", "nobody", "--json"], "hello?\n");
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: "user_not_found" } });
  });

  it("on a terminal, shows a prompt, prints arriving messages above it, and leaves on Ctrl+D", async () => {
    const benChat = ben.launch(["chat", "ann", "--json"]);
    await benChat.waitForOutput(/"chatting"/);
    const annChat = ann.launch(["chat", "ben"], true);
    await annChat.waitForOutput(/Ctrl\+D to leave/);
    annChat.write("typed on a terminal\r");
    await benChat.waitForOutput(/"text":"typed on a terminal"/);
    benChat.write("seen it\n");
    await annChat.waitForOutput(/ben: seen it/);
    annChat.write("\x04");
    const run = await annChat.done;
    expect(run.code, run.stdout).toBe(0);
    benChat.endInput();
    expect((await benChat.done).code).toBe(0);
  });
});
