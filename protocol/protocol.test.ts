import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  clientEvents,
  clientPushes,
  CONNECT_ERROR_CODES,
  ERROR_CODE_NAMES,
  ERROR_CODES,
  failure,
  loginSignatureMessage,
  success,
  type EventDefinition,
} from "./index.ts";
import { emailSchema, emptyPayloadSchema, idSchema, passwordSchema, signatureSchema, usernameSchema } from "./fields.ts";

const refuses = (schema: z.ZodType, value: unknown) => expect(schema.safeParse(value).success, JSON.stringify(value)).toBe(false);

describe("usernameSchema", () => {
  it("trims and lower-cases before checking", () => {
    expect(usernameSchema.parse("  Alice.B_c-1 ")).toBe("alice.b_c-1");
    expect(usernameSchema.parse("BOB")).toBe("bob");
  });

  it("accepts 3 to 32 characters, counted after trimming", () => {
    expect(usernameSchema.parse("abc")).toBe("abc");
    expect(usernameSchema.parse("a".repeat(32))).toBe("a".repeat(32));
    refuses(usernameSchema, "ab");
    refuses(usernameSchema, "  ab  ");
    refuses(usernameSchema, "a".repeat(33));
  });

  it("refuses anything outside a-z, 0-9 and . _ -", () => {
    for (const name of ["al ice", "alice!", "alice@home", "ålice", "al\u0000ice", "alice\u200b", "名前です"]) refuses(usernameSchema, name);
  });

  it("folds the Kelvin sign to an ASCII k, so it names the same account as the plain spelling", () => {
    expect(usernameSchema.parse("\u212Aate")).toBe("kate");
  });

  it("refuses what is not a string", () => {
    for (const value of [undefined, null, 42, ["alice"], { username: "alice" }]) refuses(usernameSchema, value);
  });
});

describe("emailSchema", () => {
  it("trims and lower-cases", () => {
    expect(emailSchema.parse("  Alice@Example.ORG ")).toBe("alice@example.org");
  });

  it("refuses what is not an address, and addresses past 254 characters", () => {
    for (const value of ["", "alice", "alice@", "@example.org", "alice example@example.org"]) refuses(emailSchema, value);
    const local = "a".repeat(64);
    const longest = `${local}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(57)}.org`;
    expect(longest.length).toBe(254);
    expect(emailSchema.parse(longest)).toBe(longest);
    refuses(emailSchema, `${local}@${"b".repeat(63)}.${"c".repeat(63)}.${"d".repeat(58)}.org`);
  });
});

describe("passwordSchema", () => {
  it("accepts 1 to 1024 characters and leaves them as typed", () => {
    expect(passwordSchema.parse(" Pass Word ")).toBe(" Pass Word ");
    expect(passwordSchema.parse("x".repeat(1024))).toHaveLength(1024);
  });

  it("refuses an empty password and one past 1024 characters", () => {
    refuses(passwordSchema, "");
    refuses(passwordSchema, "x".repeat(1025));
  });
});

describe("signatureSchema", () => {
  it("accepts standard base64 with up to two padding characters", () => {
    for (const value of ["QUJD", "QUI=", "QQ==", "a+b/c9Z="]) expect(signatureSchema.parse(value)).toBe(value);
  });

  it("refuses base64url, whitespace, extra padding, empty and oversized strings", () => {
    for (const value of ["a-b_", "QUJD\n", "QU JD", "Q===", "=", "", "QUJD".repeat(513)]) refuses(signatureSchema, value);
  });
});

describe("idSchema", () => {
  it("accepts UUIDs and url-safe ids up to 64 characters", () => {
    expect(idSchema.parse("5f0c4b2e-8d1a-4c3f-9b7e-2a6d1e0f9c48")).toBe("5f0c4b2e-8d1a-4c3f-9b7e-2a6d1e0f9c48");
    expect(idSchema.parse("a_B-9".repeat(12) + "abcd")).toHaveLength(64);
  });

  it("refuses empty, over-long and path-like ids", () => {
    for (const value of ["", "a".repeat(65), "../etc/passwd", "a b", "a.b", "a/b", 7]) refuses(idSchema, value);
  });
});

describe("emptyPayloadSchema", () => {
  it("accepts {}", () => {
    expect(emptyPayloadSchema.parse({})).toEqual({});
  });

  it("drops extra keys rather than refusing them", () => {
    const parsed = emptyPayloadSchema.parse(JSON.parse('{ "extra": 1, "__proto__": { "polluted": true } }'));
    expect(parsed).toEqual({});
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it("refuses what is not an object", () => {
    for (const value of [undefined, null, [], "{}", 0]) refuses(emptyPayloadSchema, value);
  });
});

describe("loginSignatureMessage", () => {
  it("joins the version prefix, challenge id and nonce with colons", () => {
    expect(loginSignatureMessage("5f0c4b2e", "kZZ6EVh5c6fQ-PQ")).toBe("pairgate-login:v1:5f0c4b2e:kZZ6EVh5c6fQ-PQ");
  });
});

const CLIENT_EVENT_NAMES = Object.keys(clientEvents) as (keyof typeof clientEvents)[];

describe("clientEvents", () => {
  it.each(CLIENT_EVENT_NAMES)("%s declares its namespace, access, summary, schemas and known error codes", (name) => {
    const definition: EventDefinition = clientEvents[name];
    expect(definition.namespace).toBe("/client");
    for (const entry of definition.errors) expect(ERROR_CODE_NAMES).toContain(typeof entry === "string" ? entry : entry[0]);
    expect(["anonymous", "session", "admin"]).toContain(definition.access);
    expect(definition.summary.trim()).not.toBe("");
    expect(definition.payload).toBeInstanceOf(z.ZodType);
    expect(definition.reply).toBeInstanceOf(z.ZodType);
  });

  it.each(CLIENT_EVENT_NAMES)("%s refuses a payload that is not a JSON object", (name) => {
    for (const value of [undefined, null, [], "x", 1]) refuses(clientEvents[name].payload, value);
  });

  it("keeps anonymous sockets to registering, logging in and recovering an account", () => {
    const anonymous = CLIENT_EVENT_NAMES.filter((name) => clientEvents[name].access === "anonymous");
    expect(anonymous.sort()).toEqual([
      "account:register",
      "account:resend-verification",
      "account:verify-email",
      "auth:complete",
      "auth:login",
      "auth:prove-key",
      "password:forgot",
      "password:reset",
    ]);
  });

  it("keeps every admin:* event, and only those, to administrators", () => {
    for (const name of CLIENT_EVENT_NAMES) expect(clientEvents[name].access === "admin").toBe(name.startsWith("admin:"));
  });
});

describe("clientPushes", () => {
  it.each(Object.keys(clientPushes) as (keyof typeof clientPushes)[])("%s has a summary and a payload schema", (name) => {
    expect(clientPushes[name].summary.trim()).not.toBe("");
    expect(clientPushes[name].payload).toBeInstanceOf(z.ZodType);
  });
});

describe("ERROR_CODES", () => {
  it.each(ERROR_CODE_NAMES)("%s has a 4xx or 5xx HTTP status and a message", (code) => {
    const { httpStatus, message } = ERROR_CODES[code];
    expect(Number.isInteger(httpStatus)).toBe(true);
    expect(httpStatus).toBeGreaterThanOrEqual(400);
    expect(httpStatus).toBeLessThanOrEqual(599);
    expect(message.trim()).not.toBe("");
  });

  it("names codes, and connect refusals, in snake_case", () => {
    expect(ERROR_CODE_NAMES).toEqual(Object.keys(ERROR_CODES));
    for (const code of [...ERROR_CODE_NAMES, ...CONNECT_ERROR_CODES]) expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
  });
});

describe("ack helpers", () => {
  it("build the two ack shapes", () => {
    expect(success({ revoked: true })).toEqual({ ok: true, data: { revoked: true } });
    expect(failure("rate_limited", "Wait.", { retryAfterSeconds: 3 })).toEqual({
      ok: false,
      error: { code: "rate_limited", message: "Wait.", retryAfterSeconds: 3 },
    });
  });
});
