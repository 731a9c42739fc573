import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  clientEvents,
  clientPushes,
  LOGIN_CHALLENGE_TTL_SECONDS,
  LOGIN_SIGNATURE_PREFIX,
  LOGIN_SIGNATURE_SALT_BYTES,
  MAX_MESSAGE_BYTES,
  RSA_MIN_MODULUS_BITS,
  SESSION_ABSOLUTE_TTL_SECONDS,
  SESSION_IDLE_TTL_SECONDS,
  SESSION_TOKEN_BYTES,
  type ClientEventName,
  type ClientPushName,
} from "#protocol";
import { eventExamples, pushExamples } from "./examples.ts";
import { renderConnectErrorTable, renderErrorCodeTable, renderEventIndex, renderEventSection, renderPushSection } from "./sections.ts";

export const PROTOCOL_DOC_PATH = "docs/PROTOCOL.md";

const SECONDS_PER_DAY = 24 * 60 * 60;

/** Examples as the checks see them: loosely typed, so that a test can hand in broken ones. */
export interface ExampleSet {
  events: Readonly<Record<string, { payload: unknown; reply: unknown } | undefined>>;
  pushes: Readonly<Record<string, unknown>>;
}

const EXAMPLES: ExampleSet = { events: eventExamples, pushes: pushExamples };

/** The whole of docs/PROTOCOL.md. Throws when an example is missing or does not fit its schema. */
export function renderProtocolDoc(examples: ExampleSet = EXAMPLES): string {
  validateExamples(examples);
  const introduction = fillTemplate("introduction.md", {
    connectErrorTable: renderConnectErrorTable(),
    tokenBytes: String(SESSION_TOKEN_BYTES),
    sessionAbsoluteDays: String(SESSION_ABSOLUTE_TTL_SECONDS / SECONDS_PER_DAY),
    sessionIdleDays: String(SESSION_IDLE_TTL_SECONDS / SECONDS_PER_DAY),
    maxMessageBytes: String(MAX_MESSAGE_BYTES),
    maxMessageKiB: String(MAX_MESSAGE_BYTES / 1024),
    challengeTtlSeconds: String(LOGIN_CHALLENGE_TTL_SECONDS),
    signaturePrefix: LOGIN_SIGNATURE_PREFIX,
    saltBytes: String(LOGIN_SIGNATURE_SALT_BYTES),
    rsaMinBits: String(RSA_MIN_MODULUS_BITS),
    errorCodeTable: renderErrorCodeTable(),
    eventIndex: renderEventIndex(),
  });
  const events = eventNames().map((name) => renderEventSection(name, examples.events[name]!));
  const pushes = pushNames().map((name) => renderPushSection(name, examples.pushes[name]));
  const clientGuide = fillTemplate("writing-a-client.md", { clientExample: readTemplate("client-example.ts").trimEnd() });
  const parts = [introduction.trimEnd(), "## Client to hub", ...events, "## Hub to client", ...pushes, clientGuide.trimEnd()];
  return `${parts.join("\n\n")}\n`;
}

/** Every event and push has an example, and every example parses with its schema. */
export function validateExamples(examples: ExampleSet = EXAMPLES): void {
  for (const name of eventNames()) {
    const example = examples.events[name];
    if (example === undefined) throw new Error(`No example for event "${name}": add one to scripts/protocol-doc/examples.ts`);
    checkExample(`payload of "${name}"`, clientEvents[name].payload, example.payload);
    checkExample(`reply of "${name}"`, clientEvents[name].reply, example.reply);
  }
  for (const name of pushNames()) {
    if (!Object.hasOwn(examples.pushes, name)) throw new Error(`No example for push "${name}": add one to scripts/protocol-doc/examples.ts`);
    checkExample(`push "${name}"`, clientPushes[name].payload, examples.pushes[name]);
  }
  refuseStrays("event", Object.keys(examples.events), eventNames());
  refuseStrays("push", Object.keys(examples.pushes), pushNames());
}

function checkExample(what: string, schema: z.ZodType, value: unknown): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`The example ${what} does not fit its schema:\n${z.prettifyError(parsed.error)}`);
}

function refuseStrays(kind: string, names: readonly string[], known: readonly string[]): void {
  const strays = names.filter((name) => !known.includes(name));
  if (strays.length > 0) throw new Error(`Examples for no known ${kind}: ${strays.join(", ")}; remove them from scripts/protocol-doc/examples.ts`);
}

const eventNames = () => Object.keys(clientEvents) as ClientEventName[];
const pushNames = () => Object.keys(clientPushes) as ClientPushName[];

function readTemplate(file: string): string {
  return readFileSync(new URL(file, import.meta.url), "utf8");
}

/** Replaces each `{{name}}`; a placeholder without a value is a mistake, so it throws. */
function fillTemplate(file: string, values: Readonly<Record<string, string>>): string {
  return readTemplate(file).replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${file}: no value for {{${name}}}`);
    return value;
  });
}
