import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { adminEvents, clientEvents, clientPushes, CONNECT_ERROR_CODES, deviceEvents, devicePushes, ERROR_CODES, lifecycleEvents } from "#protocol";
import { ACCESS_ERRORS, DEVICE_EVENT_ERRORS, errorsOf, EVENT_ERRORS } from "../scripts/protocol-doc/event-errors.ts";
import { routeStatuses } from "../scripts/protocol-doc/rest-section.ts";
import { REST_ROUTES, routeName } from "../server/transport/http/rest-api.ts";
import { deviceEventExamples, devicePushExamples, eventExamples, protocolExamples, pushExamples } from "../scripts/protocol-doc/examples.ts";
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
    for (const text of ['factors: ["signature", "otp"]', "numberMatch", "challenge:approved", "`otp`", "signature` only"]) expect(walkthrough).toContain(text);
  });

  it("lists every error code with its HTTP status in the error table", () => {
    for (const [code, { httpStatus, message }] of Object.entries(ERROR_CODES)) {
      expect(committed, `${code} missing from the error table`).toContain(`| \`${code}\` | ${httpStatus} | ${message} |`);
    }
  });

  it("labels admin events with their access level, and lists forbidden among their codes", () => {
    for (const name of Object.keys(adminEvents)) {
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
    for (const name of Object.keys(lifecycleEvents)) expect(committed, `no section for ${name}`).toContain(`\n### \`${name}\`\n`);
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
      const { specific, common } = errorsOf(route.event, clientEvents[route.event]);
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
    for (const name of Object.keys(adminEvents)) {
      const { specific, common } = errorsOf(name, clientEvents[name as keyof typeof adminEvents]);
      expect([...specific.map((error) => error.code), ...common]).toEqual(expect.arrayContaining(["unauthorized", "forbidden"]));
    }
  });

  it("name only codes of the shared table, for events that exist", () => {
    for (const [table, events] of [[EVENT_ERRORS, clientEvents], [DEVICE_EVENT_ERRORS, deviceEvents]] as const) {
      expect(Object.keys(table).sort()).toEqual(Object.keys(events).sort());
      for (const entries of Object.values(table)) {
        for (const entry of entries) expect(Object.keys(ERROR_CODES)).toContain(typeof entry === "string" ? entry : entry[0]);
      }
    }
  });
});

describe("protocol examples", () => {
  it("fit their schemas", () => {
    expect(() => validateExamples()).not.toThrow();
  });

  it("are refused when a device event's payload or reply breaks its schema", () => {
    const badCode = { ...deviceEventExamples, "device:bind": { ...deviceEventExamples["device:bind"], payload: { code: "ILLEGAL!", name: "x" } } };
    expect(() => validateExamples({ ...protocolExamples, deviceEvents: badCode })).toThrow(/payload of "device:bind"/);
    const badReply = { ...deviceEventExamples, "challenge:approve": { ...deviceEventExamples["challenge:approve"], reply: { approved: false } } };
    expect(() => validateExamples({ ...protocolExamples, deviceEvents: badReply })).toThrow(/reply of "challenge:approve"/);
  });

  it("are refused when a device event or push has none", () => {
    const { "challenge:list": _missingEvent, ...deviceEvents } = deviceEventExamples;
    expect(() => validateExamples({ ...protocolExamples, deviceEvents })).toThrow(/No example for event "challenge:list" on \/device/);
    const { "security:notice": _missingPush, ...devicePushes } = devicePushExamples;
    expect(() => validateExamples({ ...protocolExamples, devicePushes })).toThrow(/No example for push "security:notice" on \/device/);
  });

  it("are refused when a push to a device does not fit", () => {
    const devicePushes = { ...devicePushExamples, "challenge:closed": { challengeId: "c1", outcome: "forgotten" } };
    expect(() => validateExamples({ ...protocolExamples, devicePushes })).toThrow(/push "challenge:closed" on \/device/);
  });

  it("are refused for a client event listed among the device events", () => {
    const deviceEvents = { ...deviceEventExamples, "auth:login": eventExamples["auth:login"] };
    expect(() => validateExamples({ ...protocolExamples, deviceEvents })).toThrow(/no known event on \/device: auth:login/);
  });

  it("are refused when a payload breaks its schema", () => {
    const events = { ...eventExamples, "auth:login": { ...eventExamples["auth:login"], payload: { username: "x", password: "" } } };
    expect(() => validateExamples({ ...protocolExamples, events })).toThrow(/payload of "auth:login"/);
  });

  it("are refused when a reply breaks its schema", () => {
    const events = { ...eventExamples, "auth:logout": { payload: {}, reply: { loggedOut: false } } };
    expect(() => validateExamples({ ...protocolExamples, events })).toThrow(/reply of "auth:logout"/);
  });

  it("are refused when an event has none, as a new event without an example would be", () => {
    const { "session:list": _missing, ...events } = eventExamples;
    expect(() => renderProtocolDoc({ ...protocolExamples, events })).toThrow(/No example for event "session:list"/);
  });

  it("are refused when a push has none or one does not fit", () => {
    const { "security:notice": _missing, ...pushes } = pushExamples;
    expect(() => validateExamples({ ...protocolExamples, pushes })).toThrow(/No example for push "security:notice"/);
    const wrongReason = { ...pushExamples, "session:revoked": { sessionId: "s1", reason: "bored" } };
    expect(() => validateExamples({ ...protocolExamples, pushes: wrongReason })).toThrow(/push "session:revoked"/);
  });

  it("are refused when an admin or lifecycle event's example breaks its schema", () => {
    const badAdmin = { ...eventExamples, "admin:list-users": { ...eventExamples["admin:list-users"], reply: { ...eventExamples["admin:list-users"].reply, users: [{ ...eventExamples["admin:list-users"].reply.users[0]!, role: "root" }] } } };
    expect(() => validateExamples({ ...protocolExamples, events: badAdmin })).toThrow(/reply of "admin:list-users"/);
    const badReset = { ...eventExamples, "password:reset": { ...eventExamples["password:reset"], payload: { username: "alice", code: "12", newPassword: "x" } } };
    expect(() => validateExamples({ ...protocolExamples, events: badReset })).toThrow(/payload of "password:reset"/);
    const { "message:new": _missing, ...pushes } = pushExamples;
    expect(() => validateExamples({ ...protocolExamples, pushes })).toThrow(/No example for push "message:new"/);
  });

  it("are refused for an event that does not exist", () => {
    const events = { ...eventExamples, "auth:teleport": { payload: {}, reply: {} } };
    expect(() => validateExamples({ ...protocolExamples, events })).toThrow(/auth:teleport/);
  });
});
