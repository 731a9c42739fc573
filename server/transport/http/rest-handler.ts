import type { Request, RequestHandler, Response } from "express";
import { clientEvents, ERROR_CODES, failure, type Ack, type EventDefinition, type EventPayload, type EventReply } from "#protocol";
import type { HubContext, Origin } from "../../context.ts";
import { consumePoint } from "../../rate-limits.ts";
import type { ActiveSession } from "../../sessions/sessions.ts";
import { expectedFailureOf, internalError, invalidRequest, isJsonObject, payloadNotAnObject } from "../request-failures.ts";
import { checkBearerToken } from "./bearer-auth.ts";
import { BEARER_REALM, type RestEventName, type RestRoute } from "./rest-api.ts";

type SessionOf<E extends RestEventName> = (typeof clientEvents)[E]["access"] extends "anonymous" ? undefined : ActiveSession;

export interface RestCall<E extends RestEventName> {
  origin: Origin;
  session: SessionOf<E>;
}

/** What a route does once its request is checked: call the domain, as the socket handler does. */
export type RestBinding<E extends RestEventName> = (payload: EventPayload<E>, call: RestCall<E>) => Promise<Ack<EventReply<E>>>;

/**
 * One route's handler, the REST twin of the socket event router: request budget, bearer token
 * and access, payload schema, then the domain; expected failures are acks, throws become
 * `internal_error`. Bodies are never logged.
 */
export function restHandler<E extends RestEventName>(ctx: HubContext, route: RestRoute & { event: E }, bound: RestBinding<E>): RequestHandler {
  const definition: EventDefinition = clientEvents[route.event];
  return async (request, response) => {
    // The TCP peer, as a socket's handshake address is: rate limits and the audit log see one origin per machine on either transport.
    const origin: Origin = { address: request.socket.remoteAddress ?? "unknown" };
    let ack: Ack<unknown>;
    try {
      ack = await answer(request, response, origin);
    } catch (error) {
      ack = expectedFailureOf(error) ?? logged(error);
    }
    sendAck(response, ack, ackStatus(ack, route.successStatus));
  };

  async function answer(request: Request, response: Response, origin: Origin): Promise<Ack<unknown>> {
    // An address's REST calls share one budget, the size of a socket's event budget.
    const limited = await consumePoint(ctx.limits.eventsPerSocket, `rest|${origin.address}`);
    if (limited) return limited;
    let session: ActiveSession | undefined;
    if (definition.access !== "anonymous") {
      const bearer = await checkBearerToken(ctx, request);
      if (!bearer.ok) {
        response.set("WWW-Authenticate", bearer.wwwAuthenticate);
        return bearer.failure;
      }
      session = bearer.session;
      if (definition.access === "admin" && session.role !== "admin") return failure("forbidden", "Only administrators may do this.");
    }
    const payload = payloadOf(request);
    if (!isJsonObject(payload)) return payloadNotAnObject();
    const parsed = definition.payload.safeParse(payload);
    if (!parsed.success) return invalidRequest(parsed.error);
    return bound(parsed.data as EventPayload<E>, { origin, session: session as SessionOf<E> });
  }

  function logged(error: unknown) {
    ctx.log.error({ err: error, route: `${route.method} ${route.path}` }, "REST handler failed");
    return internalError();
  }
}

/** The JSON body (none is `{}`), with the path's `:name` parts as fields of the same name. */
function payloadOf(request: Request): unknown {
  const body: unknown = request.body ?? {};
  if (Object.keys(request.params).length === 0) return body;
  return isJsonObject(body) ? { ...body, ...request.params } : body;
}

/** A success's status is the route's; a failure's is its error code's (protocol/errors.ts). */
export function ackStatus(ack: Ack<unknown>, successStatus = 200): number {
  return ack.ok ? successStatus : ERROR_CODES[ack.error.code].httpStatus;
}

/**
 * The ack as JSON, with `Retry-After` when the ack says how long to wait, and the
 * `WWW-Authenticate` every 401 must carry (RFC 9110 15.5.2). `status` is given only by refusals
 * of the HTTP layer itself (405, 413, 415), which have no error code of their own.
 */
export function sendAck(response: Response, ack: Ack<unknown>, status = ackStatus(ack)): void {
  if (!ack.ok && ack.error.retryAfterSeconds !== undefined) response.set("Retry-After", String(ack.error.retryAfterSeconds));
  if (status === 401 && response.get("WWW-Authenticate") === undefined) response.set("WWW-Authenticate", `Bearer realm="${BEARER_REALM}"`);
  response.status(status).json(ack);
}
