import { z } from "zod";
import {
  clientEvents,
  failure,
  isClientEventName,
  type Ack,
  type ClientEventName,
  type EventPayload,
  type EventReply,
  type Failure,
} from "#protocol";
import type { HubContext, Origin } from "../../context.ts";
import { PasswordPoolBusyError } from "../../passwords/password-pool.ts";
import { consumePoint } from "../../rate-limits.ts";
import type { ActiveSession } from "../../sessions/sessions.ts";
import { attachSession, type ClientSocket } from "./client-socket.ts";

/** What a handler learns about the call besides its payload. */
export interface ClientCall<Session> {
  origin: Origin;
  session: Session;
  /** Makes this socket authenticated (after a successful login). */
  signIn(session: ActiveSession): void;
}

type SessionOf<E extends ClientEventName> = (typeof clientEvents)[E]["access"] extends "session" ? ActiveSession : ActiveSession | undefined;

export type ClientHandler<E extends ClientEventName> = (
  payload: EventPayload<E>,
  call: ClientCall<SessionOf<E>>,
) => Promise<Ack<EventReply<E>>>;

/** One handler per protocol event: a missing or unknown name fails to compile. */
export type ClientHandlers = { [E in ClientEventName]: ClientHandler<E> };

type Reply = (reply: Ack<unknown>) => void;

/**
 * The single path every `/client` event takes: ack present, budget, known event, access,
 * schema, then the handler, whose expected failures are values and whose throws become
 * `internal_error`. Payload content is never logged.
 */
export function routeClientEvents(ctx: HubContext, socket: ClientSocket, handlers: ClientHandlers): void {
  const origin: Origin = { address: socket.handshake.address };
  socket.onAny((event: string, ...args: unknown[]) => {
    const reply = args.at(-1);
    if (typeof reply !== "function") {
      ctx.log.warn({ socketId: socket.id, event: loggableName(event) }, "event without ack callback dropped");
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
    if (!isClientEventName(event)) {
      ctx.log.info({ socketId: socket.id, event: loggableName(event) }, "unknown event refused");
      return failure("unknown_event", "The hub does not know this event.");
    }
    const definition = clientEvents[event];
    const session = socket.data.session;
    if (definition.access === "session" && !isLive(session)) {
      return failure("unauthorized", "Log in first: this event needs a session.");
    }
    if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
      return failure("invalid_request", "The payload must be a JSON object.");
    }
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) return invalidRequest(parsed.error);
    const call: ClientCall<ActiveSession | undefined> = { origin, session, signIn: (next) => attachSession(socket, next) };
    const handler = handlers[event] as (payload: unknown, call: ClientCall<ActiveSession | undefined>) => Promise<Ack<unknown>>;
    return handler(parsed.data, call);
  }

  function answerError(error: unknown, event: string): Failure {
    if (error instanceof PasswordPoolBusyError) {
      return failure("rate_limited", "The hub is busy checking passwords; try again shortly.", { retryAfterSeconds: 1 });
    }
    ctx.log.error({ err: error, socketId: socket.id, event: loggableName(event) }, "event handler failed");
    return failure("internal_error", "The hub failed to handle the request.");
  }
}

function isLive(session: ActiveSession | undefined): session is ActiveSession {
  return session !== undefined && session.expiresAt.getTime() > Date.now();
}

function invalidRequest(error: z.ZodError): Failure {
  const details = error.issues.map((issue) => ({ path: issue.path.join(".") || "(payload)", message: issue.message }));
  const summary = details.map((detail) => `${detail.path}: ${detail.message}`).join("; ");
  return failure("invalid_request", `The request is not valid: ${summary}`, { details });
}

/** Event names come from the network: log known ones, and only the shape of others. */
function loggableName(event: unknown): string {
  if (typeof event === "string" && isClientEventName(event)) return event;
  return `(unknown, ${typeof event === "string" ? event.length : typeof event})`;
}
