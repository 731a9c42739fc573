import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  BINDING_CODE_TTL_SECONDS,
  CLIENT_KEY_CODE_TTL_SECONDS,
  CODE_MAILS_PER_MINUTE,
  EMAIL_CODE_MAX_ATTEMPTS,
  EMAIL_VERIFICATION_TTL_SECONDS,
  MESSAGE_MAX_LENGTH,
  PASSWORD_RESET_TTL_SECONDS,
  RECOVERY_CODE_COUNT,
  LOGIN_CHALLENGE_TTL_SECONDS,
  LOGIN_SIGNATURE_PREFIX,
  LOGIN_SIGNATURE_SALT_BYTES,
  MAX_MESSAGE_BYTES,
  PUSH_HOLD_AFTER_NOT_ME_SECONDS,
  RSA_MIN_MODULUS_BITS,
  SESSION_ABSOLUTE_TTL_SECONDS,
  SESSION_IDLE_TTL_SECONDS,
  SESSION_TOKEN_BYTES,
} from "#protocol";
import { HOTP_LOCKOUT_SECONDS, HOTP_MAX_FAILURES } from "../../server/devices/hotp.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/rate-limits.ts";
import { REST_BODY_MAX_BYTES } from "../../server/transport/http/rest-api.ts";
import { CLOSE_GRACE_MS } from "../../server/transport/socket/event-router.ts";
import { CATALOGUE, eventNamesOf, pushNamesOf, SIDES, type Side, type SideCatalogue } from "./catalogue.ts";
import { renderRestIndex, renderRestRoutes } from "./rest-section.ts";
import { renderConnectErrorTable, renderErrorCodeTable, renderEventIndex, renderEventSection, renderPushSection } from "./sections.ts";

export const PROTOCOL_DOC_PATH = "docs/PROTOCOL.md";

const SECONDS_PER_DAY = 24 * 60 * 60;

const SECTION_TITLES: Record<Side, { events: string; pushes: string }> = {
  client: { events: "## Client to hub", pushes: "## Hub to client" },
  device: { events: "## Device to hub", pushes: "## Hub to device" },
};

/** The whole of docs/PROTOCOL.md. Throws when an example does not fit its schema. */
export function renderProtocolDoc(): string {
  validateExamples();
  const introduction = fillTemplate("introduction.md", {
    connectErrorTable: renderConnectErrorTable(),
    tokenBytes: String(SESSION_TOKEN_BYTES),
    sessionAbsoluteDays: String(SESSION_ABSOLUTE_TTL_SECONDS / SECONDS_PER_DAY),
    sessionIdleDays: String(SESSION_IDLE_TTL_SECONDS / SECONDS_PER_DAY),
    maxMessageBytes: String(MAX_MESSAGE_BYTES),
    maxMessageKiB: String(MAX_MESSAGE_BYTES / 1024),
    closeGraceSeconds: String(CLOSE_GRACE_MS / 1000),
    challengeTtlSeconds: String(LOGIN_CHALLENGE_TTL_SECONDS),
    signaturePrefix: LOGIN_SIGNATURE_PREFIX,
    saltBytes: String(LOGIN_SIGNATURE_SALT_BYTES),
    rsaMinBits: String(RSA_MIN_MODULUS_BITS),
    bindingCodeMinutes: String(BINDING_CODE_TTL_SECONDS / 60),
    pushesPerWindow: String(DEFAULT_RATE_LIMITS.loginPushesPerAccount.points),
    pushWindowMinutes: String(DEFAULT_RATE_LIMITS.loginPushesPerAccount.durationSeconds / 60),
    notMeHoldMinutes: String(PUSH_HOLD_AFTER_NOT_ME_SECONDS / 60),
    otpMaxFailures: String(HOTP_MAX_FAILURES),
    otpLockoutMinutes: String(HOTP_LOCKOUT_SECONDS / 60),
    emailCodeTries: String(EMAIL_CODE_MAX_ATTEMPTS),
    verificationHours: String(EMAIL_VERIFICATION_TTL_SECONDS / 3600),
    mailsPerMinute: String(CODE_MAILS_PER_MINUTE),
    resetMinutes: String(PASSWORD_RESET_TTL_SECONDS / 60),
    recoveryCodeCount: String(RECOVERY_CODE_COUNT),
    keyCodeMinutes: String(CLIENT_KEY_CODE_TTL_SECONDS / 60),
    messageMaxLength: MESSAGE_MAX_LENGTH.toLocaleString("en-GB"),
    errorCodeTable: renderErrorCodeTable(),
    eventIndex: renderEventIndex(),
  });
  const sections = SIDES.flatMap((side) => {
    return [
      SECTION_TITLES[side].events,
      ...eventNamesOf(side).map((name) => renderEventSection(side, name)),
      SECTION_TITLES[side].pushes,
      ...pushNamesOf(side).map((name) => renderPushSection(side, name)),
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

/**
 * Every example parses with its schema. The compiler already checks their shapes; this catches
 * what types cannot say (lengths, patterns, formats).
 */
export function validateExamples(catalogue: Readonly<Record<Side, SideCatalogue>> = CATALOGUE): void {
  for (const side of SIDES) {
    const { namespace, events, pushes } = catalogue[side];
    for (const [name, definition] of Object.entries(events)) {
      checkExample(`payload of "${name}"`, definition.payload, definition.example.payload);
      checkExample(`reply of "${name}"`, definition.reply, definition.example.reply);
    }
    for (const [name, push] of Object.entries(pushes)) checkExample(`push "${name}" on ${namespace}`, push.payload, push.example);
  }
}

function checkExample(what: string, schema: z.ZodType, value: unknown): void {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`The example ${what} does not fit its schema:\n${z.prettifyError(parsed.error)}`);
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
