import type { Socket } from "socket.io";
import { failure, type Ack, type EventDefinition, type Failure } from "#protocol";
import type { HubContext, Origin } from "../../context.ts";
import { consumePoint } from "../../rate-limits.ts";
import { expectedFailureOf, internalError, invalidRequest, isJsonObject, payloadNotAnObject } from "../request-failures.ts";

/** What every socket the router serves keeps in memory. */
export interface RoutedSocketData {
  /** Requests being handled; a socket whose credentials end mid-request waits for the ack. */
  inFlight: number;
  closeWhenIdle: boolean;
}

type AnySocket = Socket<never, never, never, RoutedSocketData>;

export interface RouteTable<S extends AnySocket> {
  definitions: Record<string, EventDefinition>;
  handlers: Record<string, (payload: never, call: { origin: Origin; socket: S }) => Promise<Ack<unknown>>>;
  /** Whether this socket may send events of the given access level right now. */
  isAllowed(socket: S, access: EventDefinition["access"]): boolean;
  /** What a socket that may not send an event of this access level is told. */
  refusal(socket: S): Failure;
}

/**
 * The single path every event takes, on every namespace: ack present, per-socket budget,
 * known event, access, payload schema, then the handler, whose expected failures are values
 * and whose throws become `internal_error`. Payload content is never logged.
 */
export function routeEvents<S extends AnySocket>(ctx: HubContext, socket: S, table: RouteTable<S>): void {
  const origin: Origin = { address: socket.handshake.address };
  socket.onAny((event: string, ...args: unknown[]) => {
    const reply = args.at(-1);
    if (typeof reply !== "function") {
      // Every protocol event is acked; one without is a broken or hostile client: close it,
      // rather than let it fill the log.
      ctx.log.warn({ socketId: socket.id, event: loggableName(table, event) }, "event without ack callback: closing the socket");
      socket.disconnect(true);
      return;
    }
    socket.data.inFlight += 1;
    void dispatch(event, args.length > 1 ? args[0] : undefined)
      .catch((error: unknown) => answerError(error, event))
      .then((ack) => {
        reply(ack);
        socket.data.inFlight -= 1;
        if (socket.data.inFlight === 0 && socket.data.closeWhenIdle) socket.disconnect(true);
      });
  });

  async function dispatch(event: string, payload: unknown): Promise<Ack<unknown>> {
    const limited = await consumePoint(ctx.limits.eventsPerSocket, socket.id);
    if (limited) return limited;
    if (!Object.hasOwn(table.definitions, event)) {
      ctx.log.info({ socketId: socket.id, event: loggableName(table, event) }, "unknown event refused");
      return failure("unknown_event", "The hub does not know this event on this namespace.");
    }
    const definition = table.definitions[event]!;
    if (!table.isAllowed(socket, definition.access)) return table.refusal(socket);
    if (!isJsonObject(payload)) return payloadNotAnObject();
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) return invalidRequest(parsed.error);
    const handler = table.handlers[event] as (payload: unknown, call: { origin: Origin; socket: S }) => Promise<Ack<unknown>>;
    return handler(parsed.data, { origin, socket });
  }

  function answerError(error: unknown, event: string): Failure {
    const expected = expectedFailureOf(error);
    if (expected) return expected;
    ctx.log.error({ err: error, socketId: socket.id, event: loggableName(table, event) }, "event handler failed");
    return internalError();
  }
}

/** Forgets nothing by itself: closes the socket as soon as no request is in flight. */
export function closeWhenIdle(socket: AnySocket): void {
  if (socket.data.inFlight > 0) {
    socket.data.closeWhenIdle = true;
    return;
  }
  socket.disconnect(true);
}

/** Event names come from the network: log known ones, and only the shape of others. */
function loggableName(table: { definitions: Record<string, unknown> }, event: unknown): string {
  if (typeof event === "string" && Object.hasOwn(table.definitions, event)) return event;
  return `(unknown, ${typeof event === "string" ? event.length : typeof event})`;
}
