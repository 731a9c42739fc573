import { answerableCodes, failure, type Ack, type ErrorCode, type EventDefinition, type EventTable, type Failure } from "#protocol";
import type { HubContext } from "../context.ts";
import { consumePoint } from "../rate-limits.ts";
import { expectedFailureOf, internalError, invalidRequest, isJsonObject, payloadNotAnObject } from "./failures.ts";
import type { Caller, Effect, HandlerTable, Outcome } from "./handler.ts";
import { UnknownEventTally } from "./unknown-events.ts";
import type { ActiveSession } from "../sessions/sessions.ts";

/** One namespace's events and their handlers. */
export interface EventRoutes<T extends EventTable = EventTable> {
  definitions: T;
  handlers: HandlerTable<T>;
}

/** Resolves the caller's session when the transport carries credentials per request (the REST mirror's bearer token). */
export type Authenticate = () => Promise<{ ok: true; session: ActiveSession } | { ok: false; failure: Failure }>;

export interface EventRequest {
  event: string;
  payload: unknown;
  caller: Caller;
  /** Whose event budget the request spends: a socket's, or an address's on the REST mirror. */
  budgetKey: string;
  authenticate?: Authenticate;
  /** Who asked, for the log (a socket id or a route); never the payload. */
  logFields: Record<string, string>;
}

// In tests, an error code an event does not declare becomes internal_error, so the test that
// provoked it fails; in production it is answered as is, and logged.
const REFUSE_UNDECLARED_CODES = process.env.NODE_ENV === "test";
const answerable = new WeakMap<EventDefinition, Set<ErrorCode>>();
const unknownEvents = new WeakMap<HubContext, UnknownEventTally>();

function tallyOf(ctx: HubContext): UnknownEventTally {
  let tally = unknownEvents.get(ctx);
  if (!tally) unknownEvents.set(ctx, (tally = new UnknownEventTally(ctx.log)));
  return tally;
}

/**
 * The single path every event takes, on every transport: budget, known event, credentials,
 * access, payload schema, then the handler, whose expected failures are values and whose throws
 * become `unavailable`, `rate_limited` or `internal_error`. Payload content is never logged.
 */
export async function dispatchEvent(ctx: HubContext, routes: EventRoutes, request: EventRequest): Promise<Outcome<unknown>> {
  const { event, logFields } = request;
  try {
    const outcome = await dispatchChecked(ctx, routes, request);
    const ack = checkDeclared(ctx, routes, event, outcome.ack, logFields);
    noteAnswer(ctx, routes, event, ack);
    return { ack, effects: outcome.effects };
  } catch (error) {
    const expected = expectedFailureOf(error);
    if (!expected) ctx.log.error({ err: error, ...logFields, event: loggableName(routes, event) }, "event handler failed");
    const ack = expected ?? internalError();
    noteAnswer(ctx, routes, event, ack);
    return { ack, effects: [] };
  }
}

/** Known events only: a name sent by a stranger never becomes a metric label. */
function noteAnswer(ctx: HubContext, routes: EventRoutes, event: string, ack: Ack<unknown>): void {
  if (!Object.hasOwn(routes.definitions, event)) return;
  ctx.events.emit("event-answered", { event, outcome: ack.ok ? "ok" : ack.error.code });
}

const NO_EFFECTS: readonly Effect[] = [];
const only = (ack: Ack<unknown>): Outcome<unknown> => ({ ack, effects: NO_EFFECTS });

async function dispatchChecked(ctx: HubContext, routes: EventRoutes, request: EventRequest): Promise<Outcome<unknown>> {
  const { event, payload, budgetKey } = request;
  const limited = await consumePoint(ctx.limits.eventsPerSocket, budgetKey);
  if (limited) return only(limited);
  if (!Object.hasOwn(routes.definitions, event)) {
    tallyOf(ctx).note({ ...request.logFields, event: loggableName(routes, event) });
    return only(failure("unknown_event", "The hub does not know this event on this namespace."));
  }
  const definition = routes.definitions[event]!;
  let caller = request.caller;
  if (request.authenticate && definition.access !== "anonymous") {
    const credentials = await request.authenticate();
    if (!credentials.ok) return only(credentials.failure);
    caller = { ...caller, session: credentials.session };
  }
  const refused = accessRefusal(definition.access, caller, ctx.clock.now());
  if (refused) return only(refused);
  if (!isJsonObject(payload)) return only(payloadNotAnObject());
  const parsed = definition.payload.safeParse(payload);
  if (!parsed.success) return only(invalidRequest(parsed.error));
  const handler = routes.handlers[event] as (ctx: HubContext, caller: Caller, payload: unknown) => Promise<Ack<unknown> | Outcome<unknown>>;
  const answer = await handler(ctx, caller, parsed.data);
  return "ack" in answer ? answer : only(answer);
}

function accessRefusal(access: EventDefinition["access"], caller: Caller, now: Date): Failure | null {
  if (access === "anonymous") return null;
  if (access === "device") return caller.device ? null : failure("unauthorized", "Pair this device first: connect with deviceId and deviceToken.");
  const session = caller.session;
  if (!session || session.expiresAt.getTime() <= now.getTime()) return failure("unauthorized", "Log in first: this event needs a session.");
  if (access === "admin" && session.role !== "admin") return failure("forbidden", "Only administrators may do this.");
  return null;
}

function checkDeclared(ctx: HubContext, routes: EventRoutes, event: string, ack: Ack<unknown>, logFields: Record<string, string>): Ack<unknown> {
  if (ack.ok || !Object.hasOwn(routes.definitions, event)) return ack;
  const definition = routes.definitions[event]!;
  let codes = answerable.get(definition);
  if (!codes) answerable.set(definition, (codes = answerableCodes(definition)));
  if (codes.has(ack.error.code)) return ack;
  ctx.log.error({ ...logFields, event, errorCode: ack.error.code }, "an event answered an error code it does not declare");
  return REFUSE_UNDECLARED_CODES ? internalError() : ack;
}

/** Event names come from the network: log known ones, and only the shape of others. */
function loggableName(routes: EventRoutes, event: unknown): string {
  if (typeof event === "string" && Object.hasOwn(routes.definitions, event)) return event;
  return `(unknown, ${typeof event === "string" ? event.length : typeof event})`;
}
