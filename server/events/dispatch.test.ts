import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineEvent, failure, namespaceEvents, success } from "#protocol";
import { systemClock } from "../clock.ts";
import type { HubContext } from "../context.ts";
import { HubEvents } from "../hub-events.ts";
import { createLogger } from "../logger.ts";
import { createRateLimits } from "../rate-limits.ts";
import { dispatchEvent, type EventRoutes } from "./dispatch.ts";
import { NO_MESSAGE_CONNECTION, withEffects, type HandlerTable } from "./handler.ts";

const events = namespaceEvents("/client", {
  "test:echo": defineEvent({
    access: "anonymous",
    summary: "Echoes its text.",
    payload: z.object({ text: z.string().max(8) }),
    reply: z.object({ text: z.string() }),
    errors: ["user_not_found"],
    example: { payload: { text: "hi" }, reply: { text: "hi" } },
  }),
  "test:admin": defineEvent({
    access: "admin",
    summary: "Only for administrators.",
    payload: z.object({}),
    reply: z.object({ done: z.literal(true) }),
    errors: [],
    example: { payload: {}, reply: { done: true } },
  }),
});

const handlers: HandlerTable<typeof events> = {
  "test:echo": async (_ctx, _caller, { text }) => {
    if (text === "nobody") return failure("user_not_found", "No such user.");
    // A code the declaration does not list: the dispatch step must not let it through in tests.
    if (text === "taken") return failure("username_taken", "Taken.");
    if (text === "boom") throw new Error("handler bug");
    return withEffects(success({ text }), { kind: "login-opened", challengeId: "c1", expiresAt: new Date(0) });
  },
  "test:admin": async () => success({ done: true as const }),
};

function hubContext(lines: string[]): HubContext {
  const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
  return { log: createLogger("info", sink), limits: createRateLimits(), clock: systemClock, events: new HubEvents() } as unknown as HubContext;
}

const routes = { definitions: events, handlers } as unknown as EventRoutes;

const request = (event: string, payload: unknown, extra: object = {}) => ({
  event,
  payload,
  caller: { origin: { address: "127.0.0.1" }, connection: NO_MESSAGE_CONNECTION, ...extra },
  budgetKey: `test|${Math.random()}`,
  logFields: { socketId: "s1" },
});

describe("dispatchEvent", () => {
  it("hands the parsed payload to the handler and passes its effects on", async () => {
    const outcome = await dispatchEvent(hubContext([]), routes, request("test:echo", { text: "hi" }));
    expect(outcome).toEqual({ ack: { ok: true, data: { text: "hi" } }, effects: [{ kind: "login-opened", challengeId: "c1", expiresAt: new Date(0) }] });
  });

  it("answers a declared error code as the handler gave it", async () => {
    const { ack } = await dispatchEvent(hubContext([]), routes, request("test:echo", { text: "nobody" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "user_not_found" } });
  });

  it("turns an error code the event does not declare into internal_error under test, and logs the event and code", async () => {
    const lines: string[] = [];
    const { ack } = await dispatchEvent(hubContext(lines), routes, request("test:echo", { text: "taken" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "internal_error" } });
    expect(lines.join("")).toContain('"errorCode":"username_taken"');
    expect(lines.join("")).toContain('"event":"test:echo"');
  });

  it("refuses an unknown event, a payload that is not an object or does not fit, before any handler", async () => {
    const ctx = hubContext([]);
    expect((await dispatchEvent(ctx, routes, request("test:nothing", {}))).ack).toMatchObject({ error: { code: "unknown_event" } });
    expect((await dispatchEvent(ctx, routes, request("__proto__", {}))).ack).toMatchObject({ error: { code: "unknown_event" } });
    expect((await dispatchEvent(ctx, routes, request("test:echo", ["hi"]))).ack).toMatchObject({ error: { code: "invalid_request" } });
    expect((await dispatchEvent(ctx, routes, request("test:echo", { text: "much too long" }))).ack).toMatchObject({ error: { code: "invalid_request", details: [{ path: "text" }] } });
  });

  it("answers unauthorized without a session and forbidden to a session without role admin", async () => {
    const ctx = hubContext([]);
    const live = { userId: "u1", sessionId: "s1", role: "user", expiresAt: new Date(Date.now() + 60_000) };
    expect((await dispatchEvent(ctx, routes, request("test:admin", {}))).ack).toMatchObject({ error: { code: "unauthorized" } });
    expect((await dispatchEvent(ctx, routes, request("test:admin", {}, { session: live }))).ack).toMatchObject({ error: { code: "forbidden" } });
    const expired = { ...live, role: "admin", expiresAt: new Date(Date.now() - 1) };
    expect((await dispatchEvent(ctx, routes, request("test:admin", {}, { session: expired }))).ack).toMatchObject({ error: { code: "unauthorized" } });
    expect((await dispatchEvent(ctx, routes, request("test:admin", {}, { session: { ...live, role: "admin" } }))).ack).toEqual({ ok: true, data: { done: true } });
  });

  it("turns a handler's throw into internal_error and logs it without the payload", async () => {
    const lines: string[] = [];
    const { ack } = await dispatchEvent(hubContext(lines), routes, request("test:echo", { text: "boom" }));
    expect(ack).toMatchObject({ ok: false, error: { code: "internal_error" } });
    expect(lines.join("")).toContain("event handler failed");
    expect(lines.join("")).not.toContain("boom\"");
  });
});
