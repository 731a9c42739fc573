import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  BINDING_CODE_TTL_SECONDS,
  CLIENT_KEY_CODE_TTL_SECONDS,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_VERIFICATION_TTL_SECONDS,
  MESSAGE_MAX_LENGTH,
  PASSWORD_RESET_TTL_SECONDS,
  RECOVERY_CODE_COUNT,
  LOGIN_CHALLENGE_TTL_SECONDS,
  LOGIN_SIGNATURE_PREFIX,
  LOGIN_SIGNATURE_SALT_BYTES,
  MAX_MESSAGE_BYTES,
  NUMBER_MATCH_OPTIONS,
  RSA_MIN_MODULUS_BITS,
  SESSION_ABSOLUTE_TTL_SECONDS,
  SESSION_IDLE_TTL_SECONDS,
  SESSION_TOKEN_BYTES,
} from "#protocol";
import { HOTP_LOCKOUT_SECONDS, HOTP_MAX_FAILURES } from "../../server/devices/hotp.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/rate-limits.ts";
import { REST_BODY_MAX_BYTES } from "../../server/transport/http/rest-api.ts";
import { CATALOGUE, eventNamesOf, pushNamesOf, SIDES, type Side } from "./catalogue.ts";
import { protocolExamples } from "./examples.ts";
import { renderRestIndex, renderRestRoutes } from "./rest-section.ts";
import { renderConnectErrorTable, renderErrorCodeTable, renderEventIndex, renderEventSection, renderPushSection } from "./sections.ts";

export const PROTOCOL_DOC_PATH = "docs/PROTOCOL.md";

const SECONDS_PER_DAY = 24 * 60 * 60;

type EventExampleTable = Readonly<Record<string, { payload: unknown; reply: unknown } | undefined>>;
type PushExampleTable = Readonly<Record<string, unknown>>;

/** Examples as the checks see them: loosely typed, so that a test can hand in broken ones. */
export interface ExampleSet {
  events: EventExampleTable;
  pushes: PushExampleTable;
  deviceEvents: EventExampleTable;
  devicePushes: PushExampleTable;
}

const examplesOf = (examples: ExampleSet, side: Side) =>
  side === "client" ? { events: examples.events, pushes: examples.pushes } : { events: examples.deviceEvents, pushes: examples.devicePushes };

const SECTION_TITLES: Record<Side, { events: string; pushes: string }> = {
  client: { events: "## Client to hub", pushes: "## Hub to client" },
  device: { events: "## Device to hub", pushes: "## Hub to device" },
};

/** The whole of docs/PROTOCOL.md. Throws when an example is missing or does not fit its schema. */
export function renderProtocolDoc(examples: ExampleSet = protocolExamples): string {
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
    bindingCodeMinutes: String(BINDING_CODE_TTL_SECONDS / 60),
    numberMatchOptions: String(NUMBER_MATCH_OPTIONS),
    otpMaxFailures: String(HOTP_MAX_FAILURES),
    otpLockoutMinutes: String(HOTP_LOCKOUT_SECONDS / 60),
    emailCodeTries: String(EMAIL_CODE_MAX_ATTEMPTS),
    verificationHours: String(EMAIL_VERIFICATION_TTL_SECONDS / 3600),
    mailsPerMinute: String(DEFAULT_RATE_LIMITS.verificationMailsPerAccount.points),
    resetMinutes: String(PASSWORD_RESET_TTL_SECONDS / 60),
    recoveryCodeCount: String(RECOVERY_CODE_COUNT),
    keyCodeMinutes: String(CLIENT_KEY_CODE_TTL_SECONDS / 60),
    messageMaxLength: MESSAGE_MAX_LENGTH.toLocaleString("en-GB"),
    errorCodeTable: renderErrorCodeTable(),
    eventIndex: renderEventIndex(),
  });
  const sections = SIDES.flatMap((side) => {
    const { events, pushes } = examplesOf(examples, side);
    return [
      SECTION_TITLES[side].events,
      ...eventNamesOf(side).map((name) => renderEventSection(side, name, events[name]!)),
      SECTION_TITLES[side].pushes,
      ...pushNamesOf(side).map((name) => renderPushSection(side, name, pushes[name])),
    ];
  });
  const clientGuide = fillTemplate("writing-a-client.md", { clientExample: readTemplate("client-example.ts").trimEnd() });
  const restIntroduction = fillTemplate("rest-api.md", {
    restIndex: renderRestIndex(),
    bodyMaxBytes: String(REST_BODY_MAX_BYTES),
    bodyMaxKiB: String(REST_BODY_MAX_BYTES / 1024),
    budgetPoints: String(DEFAULT_RATE_LIMITS.eventsPerSocket.points),
    budgetSeconds: String(DEFAULT_RATE_LIMITS.eventsPerSocket.durationSeconds),
  });
  return `${[introduction.trimEnd(), ...sections, clientGuide.trimEnd(), restIntroduction.trimEnd(), ...renderRestRoutes()].join("\n\n")}\n`;
}

/** Every event and push of both namespaces has an example, and every example parses with its schema. */
export function validateExamples(examples: ExampleSet = protocolExamples): void {
  for (const side of SIDES) validateSide(side, examplesOf(examples, side));
}

function validateSide(side: Side, examples: { events: EventExampleTable; pushes: PushExampleTable }): void {
  const { namespace, events, pushes } = CATALOGUE[side];
  for (const name of eventNamesOf(side)) {
    const example = examples.events[name];
    if (example === undefined) throw new Error(`No example for event "${name}" on ${namespace}: add one to scripts/protocol-doc/examples.ts`);
    checkExample(`payload of "${name}"`, events[name]!.payload, example.payload);
    checkExample(`reply of "${name}"`, events[name]!.reply, example.reply);
  }
  for (const name of pushNamesOf(side)) {
    if (!Object.hasOwn(examples.pushes, name)) throw new Error(`No example for push "${name}" on ${namespace}: add one to scripts/protocol-doc/examples.ts`);
    checkExample(`push "${name}" on ${namespace}`, pushes[name]!.payload, examples.pushes[name]);
  }
  refuseStrays(`event on ${namespace}`, Object.keys(examples.events), eventNamesOf(side));
  refuseStrays(`push on ${namespace}`, Object.keys(examples.pushes), pushNamesOf(side));
}

function checkExample(what: string, schema: z.ZodType, value: unknown): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`The example ${what} does not fit its schema:\n${z.prettifyError(parsed.error)}`);
}

function refuseStrays(kind: string, names: readonly string[], known: readonly string[]): void {
  const strays = names.filter((name) => !known.includes(name));
  if (strays.length > 0) throw new Error(`Examples for no known ${kind}: ${strays.join(", ")}; remove them from scripts/protocol-doc/examples.ts`);
}

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
