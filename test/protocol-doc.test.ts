import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { clientEvents, clientPushes, ERROR_CODES } from "#protocol";
import { eventExamples, pushExamples } from "../scripts/protocol-doc/examples.ts";
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

describe("docs/PROTOCOL.md", () => {
  it("is exactly what the generator makes from the schemas", () => {
    expect(committed, REGENERATE).toBe(generated);
  });

  it("has a section for every client event and every push", () => {
    const names = [...Object.keys(clientEvents), ...Object.keys(clientPushes)];
    for (const name of names) expect(committed, `no section for ${name}`).toContain(`\n### \`${name}\`\n`);
  });

  it("lists every error code with its HTTP status in the error table", () => {
    for (const [code, { httpStatus, message }] of Object.entries(ERROR_CODES)) {
      expect(committed, `${code} missing from the error table`).toContain(`| \`${code}\` | ${httpStatus} | ${message} |`);
    }
  });

  it("documents the login signature and the openssl command that makes it", () => {
    expect(committed).toContain("pairgate-login:v1:<challengeId>:<nonce>");
    expect(committed).toContain("openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256 -sign key.pem");
  });
});

describe("protocol examples", () => {
  it("fit their schemas", () => {
    expect(() => validateExamples()).not.toThrow();
  });

  it("are refused when a payload breaks its schema", () => {
    const events = { ...eventExamples, "auth:login": { ...eventExamples["auth:login"], payload: { username: "x", password: "" } } };
    expect(() => validateExamples({ events, pushes: pushExamples })).toThrow(/payload of "auth:login"/);
  });

  it("are refused when a reply breaks its schema", () => {
    const events = { ...eventExamples, "auth:logout": { payload: {}, reply: { loggedOut: false } } };
    expect(() => validateExamples({ events, pushes: pushExamples })).toThrow(/reply of "auth:logout"/);
  });

  it("are refused when an event has none, as a new event without an example would be", () => {
    const { "session:list": _missing, ...events } = eventExamples;
    expect(() => renderProtocolDoc({ events, pushes: pushExamples })).toThrow(/No example for event "session:list"/);
  });

  it("are refused when a push has none or one does not fit", () => {
    const { "security:notice": _missing, ...pushes } = pushExamples;
    expect(() => validateExamples({ events: eventExamples, pushes })).toThrow(/No example for push "security:notice"/);
    const wrongReason = { ...pushExamples, "session:revoked": { sessionId: "s1", reason: "bored" } };
    expect(() => validateExamples({ events: eventExamples, pushes: wrongReason })).toThrow(/push "session:revoked"/);
  });

  it("are refused for an event that does not exist", () => {
    const events = { ...eventExamples, "auth:teleport": { payload: {}, reply: {} } };
    expect(() => validateExamples({ events, pushes: pushExamples })).toThrow(/auth:teleport/);
  });
});
