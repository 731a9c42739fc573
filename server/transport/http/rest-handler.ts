import type { Request, RequestHandler, Response } from "express";
import { ERROR_CODES, type Ack } from "#protocol";
import type { HubContext, Origin } from "../../context.ts";
import { dispatchEvent, type EventRoutes } from "../../events/dispatch.ts";
import { isJsonObject } from "../../events/failures.ts";
import type { Connection } from "../../events/handler.ts";
import { checkBearerToken } from "./bearer-auth.ts";
import { BEARER_REALM, routeName, type RestRoute } from "./rest-api.ts";
import { addressKey } from "../../addresses.ts";

/**
 * One route's handler, the REST adapter over dispatchEvent: the route names the event, the
 * body (and path) is its payload, and `Authorization: Bearer` carries the session. Effects on a
 * connection (a socket joining a session) have nothing to act on here. Bodies are never logged.
 */
export function restHandler(ctx: HubContext, routes: EventRoutes, route: RestRoute, connection: Connection): RequestHandler {
  const logFields = { route: routeName(route) };
  return async (request, response) => {
    // The TCP peer, as a socket's handshake address is: rate limits and the audit log see one origin per machine on either transport.
    const origin: Origin = { address: request.socket.remoteAddress ?? "unknown" };
    const { ack } = await dispatchEvent(ctx, routes, {
      event: route.event,
      payload: payloadOf(request),
      caller: { origin, connection },
      // An address's REST calls share one budget, the size of a socket's event budget.
      budgetKey: `rest|${addressKey(origin.address)}`,
      logFields,
      async authenticate() {
        const bearer = await checkBearerToken(ctx, request);
        if (!bearer.ok) response.set("WWW-Authenticate", bearer.wwwAuthenticate);
        return bearer;
      },
    });
    sendAck(response, ack, ackStatus(ack, route.successStatus));
  };
}

/** The JSON body (none is `{}`), with the path's `:name` parts as fields of the same name. */
function payloadOf(request: Request): unknown {
  const body: unknown = request.body ?? {};
  if (Object.keys(request.params).length === 0) return body;
  return isJsonObject(body) ? { ...body, ...request.params } : body;
}

/** A success's status is the route's; a failure's is its error code's (protocol/errors.ts). */
function ackStatus(ack: Ack<unknown>, successStatus = 200): number {
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
