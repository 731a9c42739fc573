import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ACCESS_ERRORS, clientEvents, clientPushes, CONNECT_ERROR_CODES, deviceEvents, devicePushes, ERROR_CODES, type EventDefinition } from "#protocol";
import { CATALOGUE } from "../scripts/protocol-doc/catalogue.ts";
import { routeStatuses } from "../scripts/protocol-doc/rest-section.ts";
import { errorsOf } from "../scripts/protocol-doc/sections.ts";
import { REST_ROUTES, routeName } from "../server/transport/http/rest-api.ts";
import { PROTOCOL_DOC_PATH, renderProtocolDoc, validateExamples } from "../scripts/protocol-doc/render.ts";

const REGENERATE = "docs/PROTOCOL.md is out of date with protocol/: run `npm run docs:protocol` and commit the result";

function readCommittedDoc(): string {
  try {
    // A checkout with CRLF line ends says nothing about the schemas.
    return readFileSync(new URL(`../${PROTOCOL_DOC_PATH}`, import.meta.url), "utf8").replaceAll("\r\n", "\n");
  } catch (error) {
    throw new Error(`${REGENERATE} (could not read it: ${String(error)})`);
  }
}

const generated = renderProtocolDoc();
const committed = readCommittedDoc();
/** An event's section, from its heading to its example. */
const section = (name: string) => committed.slice(committed.indexOf(`\n### \`${name}\``), committed.indexOf("**Example**", committed.indexOf(`\n### \`${name}\``)));

describe("docs/PROTOCOL.md", () => {
  it("is exactly what the generator makes from the schemas", () => {
    expect(committed, REGENERATE).toBe(generated);
  });

  it("has a section for every client event and every push", () => {
    const names = [...Object.keys(clientEvents), ...Object.keys(clientPushes)];
    for (const name of names) expect(committed, `no section for ${name}`).toContain(`\n### \`${name}\`\n`);
  });

  it("has a section for every device event and every push to devices, named apart where /client uses the name too", () => {
    const clientNames = new Set([...Object.keys(clientEvents), ...Object.keys(clientPushes)]);
    for (const name of [...Object.keys(deviceEvents), ...Object.keys(devicePushes)]) {
      const heading = clientNames.has(name) ? `\n### \`${name}\` (\`/device\`)\n` : `\n### \`${name}\`\n`;
      expect(committed, `no section for ${name} on /device`).toContain(heading);
    }
    expect(committed).toContain("\n### `security:notice`\n");
    expect(committed).toContain("[`security:notice`](#securitynotice-device)");
  });

  it("puts each event under its namespace's heading", () => {
    const start = (title: string) => committed.indexOf(`\n${title}\n`);
    const clientToHub = start("## Client to hub");
    const hubToClient = start("## Hub to client");
    const deviceToHub = start("## Device to hub");
    const hubToDevice = start("## Hub to device");
    expect(clientToHub).toBeGreaterThan(0);
    expect(clientToHub < hubToClient && hubToClient < deviceToHub && deviceToHub < hubToDevice).toBe(true);
    const sectionAt = (name: string) => committed.indexOf(`\n### \`${name}\``);
    expect(sectionAt("device:create-binding-code")).toBeLessThan(hubToClient);
    expect(sectionAt("device:bind")).toBeGreaterThan(deviceToHub);
    expect(sectionAt("device:bind")).toBeLessThan(hubToDevice);
    expect(sectionAt("challenge:new")).toBeGreaterThan(hubToDevice);
    expect(committed).toContain("Device → hub · namespace `/device` · access: device (a paired device's socket)");
    expect(committed).toContain("Hub → device · namespace `/device` · pushed, no ack");
  });

  it("lists the errors each device event answers, and unauthorized for paired-only events", () => {
    for (const code of ["challenge_denied", "invalid_otp", "otp_locked", "challenge_expired"]) expect(section("challenge:approve")).toContain(`| \`${code}\` |`);
    expect(section("challenge:approve")).toContain("`unauthorized`");
    expect(section("device:bind")).toContain("| `invalid_binding_code` |");
    expect(section("device:bind")).not.toContain("`unauthorized`");
    for (const code of ["otp_required", "invalid_otp", "otp_locked", "challenge_denied"]) expect(section("auth:complete")).toContain(`| \`${code}\` |`);
    expect(section("device:revoke")).toContain("| `device_not_found` |");
  });

  it("explains every connect_error code, with the namespace that answers it", () => {
    for (const code of CONNECT_ERROR_CODES) expect(committed).toMatch(new RegExp(`\\| \`${code}\` \\| \`/(client|device)\` \\| \\S`));
    expect(committed).toContain("auth: { deviceId, deviceToken }");
  });

  it("walks through a login with a paired device", () => {
    const walkthrough = committed.slice(committed.indexOf("\n## Login with a paired device\n"));
    expect(walkthrough.length).toBeLessThan(committed.length);
    for (const text of ['factors: ["signature", "otp"]', "auth:prove-key", "numberMatch", "challenge:approved", "`otp`", "signature` only"]) expect(walkthrough).toContain(text);
  });

  it("lists every error code with its HTTP status in the error table", () => {
    for (const [code, { httpStatus, message }] of Object.entries(ERROR_CODES)) {
      expect(committed, `${code} missing from the error table`).toContain(`| \`${code}\` | ${httpStatus} | ${message} |`);
    }
  });

  it("labels admin events with their access level, and lists forbidden among their codes", () => {
    for (const name of Object.keys(clientEvents).filter((event) => event.startsWith("admin:"))) {
      const text = section(name);
      expect(text).toContain("access: admin (an authenticated socket of an account with role `admin`; others get `forbidden`)");
      expect(text).toContain("`forbidden`");
      expect(text).toContain("`unauthorized`");
    }
    expect(committed).toMatch(/\| \[`admin:lock-user`\]\(#adminlock-user\) \| client → hub, `\/client` \| admin \|/);
    expect(section("admin:delete-user")).toContain("| `user_not_found` |");
    expect(committed).toContain("npm run hub -- admin create USERNAME");
  });

  it("documents the account lifecycle events with their own error codes", () => {
    for (const name of ["account:verify-email", "account:resend-verification", "password:forgot", "password:reset", "recovery:generate", "key:list", "key:remove", "message:send"]) expect(committed, `no section for ${name}`).toContain(`\n### \`${name}\`\n`);
    expect(section("account:verify-email")).toContain("| `invalid_code` |");
    for (const code of ["invalid_code", "otp_required", "weak_password", "invalid_otp"]) expect(section("password:reset")).toContain(`| \`${code}\` |`);
    expect(section("password:forgot")).toContain("whether or not the account exists");
    expect(section("message:send")).toContain("| `recipient_offline` |");
    expect(section("key:remove")).toContain("| `forbidden` |");
    for (const code of ["email_not_verified", "account_locked"]) expect(section("auth:login")).toContain(`| \`${code}\` |`);
  });

  it("documents the new fields and codes of auth:complete, and the message:new push", () => {
    const complete = section("auth:complete");
    for (const field of ["recoveryCode", "publicKey", "emailCode"]) expect(complete).toContain(`| \`${field}\` | string | no |`);
    for (const code of ["key_verification_required", "invalid_code", "invalid_public_key"]) expect(complete).toContain(`| \`${code}\` |`);
    const push = committed.slice(committed.indexOf("\n### `message:new`\n"));
    expect(push).toContain("Hub → client · namespace `/client` · pushed, no ack");
    expect(push).toContain('"from": "bob"');
  });

  it("documents every REST route with its auth, the event it mirrors, its statuses and a curl example", () => {
    const rest = committed.slice(committed.indexOf("\n## REST API\n"));
    expect(rest.length).toBeLessThan(committed.length);
    for (const route of REST_ROUTES) {
      const name = routeName(route);
      const start = rest.indexOf(`\n### \`${name}\`\n`);
      expect(start, `no section for ${name}`).toBeGreaterThan(0);
      const text = rest.slice(start, rest.indexOf("\n### ", start + 1) === -1 ? undefined : rest.indexOf("\n### ", start + 1));
      expect(text).toContain(`Mirrors [\`${route.event}\`]`);
      expect(text).toContain(clientEvents[route.event].access === "anonymous" ? "auth: none" : "auth: `Authorization: Bearer <token>`");
      expect(text).toContain(`\`\`\`sh\n`);
      expect(text).toContain(`curl --cacert certs/ca.pem -sS https://127.0.0.1:8443${route.path.replace(/:(\w+)/, "$$$1").replace(/\$sessionId/, "$SESSION_ID")}`);
      expect(text).toContain(`It answers \`${route.successStatus}\` with:`);
      for (const [status, codes] of routeStatuses(route)) expect(text).toMatch(new RegExp(`\\| ${status} [A-Za-z ]+ \\| ${codes.map((code) => `\`${code}\``).join(", ")} \\|`));
    }
  });

  it("gives every REST route the HTTP status of each code its event answers", () => {
    for (const route of REST_ROUTES) {
      const statuses = routeStatuses(route);
      const { specific, common } = errorsOf(clientEvents[route.event]);
      for (const code of [...specific.map((error) => error.code), ...common]) expect(statuses.get(ERROR_CODES[code].httpStatus), `${route.path}: ${code}`).toContain(code);
    }
  });

  it("documents the login signature and the openssl command that makes it", () => {
    expect(committed).toContain("pairgate-login:v1:<challengeId>:<nonce>");
    expect(committed).toContain("openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256 -sign key.pem");
  });
});

describe("error lists", () => {
  it("add forbidden to every admin event, and unauthorized to every event that needs a session", () => {
    expect(ACCESS_ERRORS.admin).toEqual(expect.arrayContaining(["unauthorized", "forbidden"]));
    const adminEvents = Object.values(clientEvents).filter((definition: EventDefinition) => definition.access === "admin");
    expect(adminEvents.length).toBeGreaterThan(0);
    for (const definition of adminEvents) {
      const { specific, common } = errorsOf(definition);
      expect([...specific.map((error) => error.code), ...common]).toEqual(expect.arrayContaining(["unauthorized", "forbidden"]));
    }
  });

  it("name only codes of the shared table", () => {
    for (const definition of [...Object.values(clientEvents), ...Object.values(deviceEvents)] as EventDefinition[]) {
      for (const entry of definition.errors) expect(Object.keys(ERROR_CODES)).toContain(typeof entry === "string" ? entry : entry[0]);
    }
  });
});

/** The catalogue with one event's or push's example replaced, as a careless edit would leave it. */
function withExample(side: "client" | "device", kind: "events" | "pushes", name: string, example: unknown) {
  const table = CATALOGUE[side][kind] as Record<string, object>;
  return { ...CATALOGUE, [side]: { ...CATALOGUE[side], [kind]: { ...table, [name]: { ...table[name], example } } } };
}

describe("protocol examples", () => {
  it("fit their schemas", () => {
    expect(() => validateExamples()).not.toThrow();
  });

  it("are refused when a device event's payload or reply breaks its schema", () => {
    const bind = deviceEvents["device:bind"].example;
    expect(() => validateExamples(withExample("device", "events", "device:bind", { ...bind, payload: { code: "ILLEGAL!", name: "x" } }))).toThrow(/payload of "device:bind"/);
    expect(() => validateExamples(withExample("device", "events", "challenge:approve", { ...deviceEvents["challenge:approve"].example, reply: { approved: false } }))).toThrow(/reply of "challenge:approve"/);
  });

  it("are refused when a push to a device does not fit", () => {
    expect(() => validateExamples(withExample("device", "pushes", "challenge:closed", { challengeId: "c1", outcome: "forgotten" }))).toThrow(/push "challenge:closed" on \/device/);
  });

  it("are refused when a payload or a reply breaks its schema", () => {
    expect(() => validateExamples(withExample("client", "events", "auth:login", { ...clientEvents["auth:login"].example, payload: { username: "x", password: "" } }))).toThrow(/payload of "auth:login"/);
    expect(() => validateExamples(withExample("client", "events", "auth:logout", { payload: {}, reply: { loggedOut: false } }))).toThrow(/reply of "auth:logout"/);
  });

  it("are refused when a push does not fit", () => {
    expect(() => validateExamples(withExample("client", "pushes", "session:revoked", { sessionId: "s1", reason: "bored" }))).toThrow(/push "session:revoked"/);
  });

  it("are refused when an admin or password event's example breaks its schema", () => {
    const list = clientEvents["admin:list-users"].example;
    const badAdmin = { ...list, reply: { ...list.reply, users: [{ ...list.reply.users[0]!, role: "root" }] } };
    expect(() => validateExamples(withExample("client", "events", "admin:list-users", badAdmin))).toThrow(/reply of "admin:list-users"/);
    const badReset = { ...clientEvents["password:reset"].example, payload: { username: "alice", code: "12", newPassword: "x" } };
    expect(() => validateExamples(withExample("client", "events", "password:reset", badReset))).toThrow(/payload of "password:reset"/);
  });
});
