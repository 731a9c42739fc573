import { execFile, execFileSync } from "node:child_process";
import { createPrivateKey } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientEvents } from "#protocol";
import { DOC_HUB_URL } from "../scripts/protocol-doc/rest-examples.ts";
import { PROTOCOL_DOC_PATH } from "../scripts/protocol-doc/render.ts";
import { REST_ROUTES, routeName } from "../server/transport/http/rest-api.ts";
import { call, expectOk, logIn, signChallenge, type TestAccount } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { outboxCode } from "./support/rest.ts";

/**
 * Runs every curl example of docs/PROTOCOL.md's REST section, as written, with the real curl and
 * openssl, in order, against a real hub: only the hub's address is swapped in. The shell
 * variables the text says to fill (CODE, CHALLENGE_ID, ...) are filled from what earlier steps
 * answered, as a person following the walk-through would.
 */

const run = promisify(execFile);
const doc = readFileSync(new URL(`../${PROTOCOL_DOC_PATH}`, import.meta.url), "utf8").replaceAll("\r\n", "\n");

interface DocStep {
  route: string;
  command: string;
  status: number;
  reply: { ok: true; data: Record<string, unknown> };
}

function restSteps(): DocStep[] {
  const start = doc.indexOf("\n## REST API\n");
  if (start < 0) throw new Error("docs/PROTOCOL.md has no REST API section");
  const sections = doc.slice(start).split("\n### `").slice(1);
  return sections.map((section) => {
    const route = section.slice(0, section.indexOf("`"));
    const command = /```sh\n([\s\S]*?)\n```/.exec(section)?.[1];
    const answer = /It answers `(\d{3})` with:\n\n```json\n([\s\S]*?)\n```/.exec(section);
    if (!command || !answer) throw new Error(`The REST section of ${route} has no curl example or no documented answer`);
    return { route, command, status: Number(answer[1]), reply: JSON.parse(answer[2]!) };
  });
}

const steps = restSteps();
const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-rest-docs-"));
let hub: TestHub;
/** The shell variables the walk-through has filled so far. */
const shellVariables: Record<string, string> = {};
const answers = new Map<string, Record<string, unknown>>();

const alice = (): TestAccount => ({
  username: "alice",
  email: "alice@example.org",
  password: "violet-ember-canyon-42",
  keys: { publicKeyPem: readFileSync(path.join(work, "public.pem"), "utf8"), privateKey: createPrivateKey(readFileSync(path.join(work, "key.pem"))) },
});

/** What the text before each example tells the reader to fill in, taken from what the hub sent. */
const FILL: Readonly<Record<string, () => Promise<void>>> = {
  "POST /api/account/verify-email": async () => {
    shellVariables.CODE = await outboxCode(hub, "alice@example.org", "Confirm your PairGate email address");
  },
  "POST /api/auth/prove-key": async () => {
    const challenge = answers.get("POST /api/auth/login")!;
    shellVariables.CHALLENGE_ID = String(challenge.challengeId);
    shellVariables.NONCE = String(challenge.nonce);
  },
  // A reader's shell keeps $SIGNATURE from the step before; each example here runs in a shell of its own.
  "POST /api/auth/complete": async () => {
    shellVariables.SIGNATURE = signChallenge(alice().keys.privateKey, shellVariables.CHALLENGE_ID!, shellVariables.NONCE!);
  },
  "GET /api/me": async () => {
    shellVariables.TOKEN = String(answers.get("POST /api/auth/complete")!.token);
  },
  "DELETE /api/sessions/:sessionId": async () => {
    // A second session, from a socket, for the example to end (ending this one is logout's job).
    const { socket } = await logIn(hub, alice());
    shellVariables.SESSION_ID = expectOk(await call(socket, "account:me", {})).session.id;
    socket.disconnect();
  },
  "POST /api/password/reset": async () => {
    shellVariables.CODE = await outboxCode(hub, "alice@example.org", "Reset your PairGate password");
  },
};

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" } });
  // The folder the docs assume: the hub's CA, and a key pair made with openssl as they show.
  mkdirSync(path.join(work, "certs"));
  copyFileSync(hub.caFile, path.join(work, "certs", "ca.pem"));
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", path.join(work, "key.pem")], { stdio: "ignore" });
  execFileSync("openssl", ["pkey", "-in", path.join(work, "key.pem"), "-pubout", "-out", path.join(work, "public.pem")]);
  // Outside the documented command: curl also prints the status, on a last line of its own.
  writeFileSync(path.join(work, ".curlrc"), 'write-out = "\\n%{http_code}"\n');
});
afterAll(async () => {
  await hub?.destroy();
  rmSync(work, { recursive: true, force: true });
});

describe("the REST section of docs/PROTOCOL.md", () => {
  it("has one example per route, in the order of the route table", () => {
    expect(steps.map((step) => step.route)).toEqual(REST_ROUTES.map(routeName));
  });

  it("writes every example against the documented hub address", () => {
    for (const step of steps) expect(step.command, step.route).toContain(`curl --cacert certs/ca.pem -sS ${DOC_HUB_URL}/api/`);
  });

  for (const step of steps) {
    it(`runs "${step.route}" as written and gets the documented answer`, async () => {
      await FILL[step.route]?.();
      const command = step.command.replaceAll(DOC_HUB_URL, hub.url);
      const { stdout } = await run("sh", ["-c", command], {
        cwd: work,
        env: { PATH: process.env.PATH, CURL_HOME: work, NO_PROXY: "*", ...shellVariables },
        timeout: 20_000,
      });
      const lastLine = stdout.lastIndexOf("\n");
      const status = Number(stdout.slice(lastLine + 1));
      const body = JSON.parse(stdout.slice(0, lastLine)) as { ok: boolean; data?: Record<string, unknown>; error?: unknown };
      expect({ status, ok: body.ok, error: body.error }, step.route).toEqual({ status: step.status, ok: true, error: undefined });

      const event = REST_ROUTES.find((route) => routeName(route) === step.route)!.event;
      expect(clientEvents[event].reply.safeParse(body.data).success, `${step.route} answered ${JSON.stringify(body.data)}`).toBe(true);
      for (const key of Object.keys(body.data!)) expect(Object.keys(step.reply.data), `${step.route}: "${key}" is not in the documented answer`).toContain(key);
      answers.set(step.route, body.data!);
    });
  }

  it("leaves alice with the password the reset example set, and the logged-out token dead", async () => {
    const token = shellVariables.TOKEN;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const me = await run("curl", ["--cacert", path.join(work, "certs", "ca.pem"), "-sS", "-q", `${hub.url}/api/me`, "-H", `Authorization: Bearer ${token!}`]);
    expect(JSON.parse(me.stdout)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    const { socket } = await logIn(hub, { ...alice(), password: "quiet-harbour-lantern-17" });
    socket.disconnect();
  });
});
