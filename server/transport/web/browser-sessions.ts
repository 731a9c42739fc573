import express, { type Request, type RequestHandler, type Router } from "express";
import { clientEvents, failure, success, type EventReply } from "#protocol";
import { addressKey } from "../../addresses.ts";
import type { HubContext, Origin } from "../../context.ts";
import { clientHandlers } from "../../events/client-handlers.ts";
import { dispatchEvent, type Authenticate } from "../../events/dispatch.ts";
import type { Connection } from "../../events/handler.ts";
import { validateSessionToken } from "../../sessions/sessions.ts";
import { jsonBody, restErrorHandler } from "../http/rest-body.ts";
import { sendAck } from "../http/rest-handler.ts";
import { originRefusal } from "./own-origin.ts";
import { CLEARED_SESSION_COOKIE, carriesSessionCookie, readSessionCookie, sessionCookie } from "./session-cookie.ts";

/** The browser's own login and logout: the session lives in a cookie page scripts cannot read. */
export const WEB_LOGIN_PATH = "/api/web/login";
export const WEB_LOGOUT_PATH = "/api/web/logout";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const routes = { definitions: clientEvents, handlers: clientHandlers };

/**
 * `POST /api/web/login` takes exactly `auth:complete`'s payload and runs it through the same
 * dispatch step; on success the token goes into the cookie and the body carries only the
 * expiry and the user. `POST /api/web/logout` ends the cookie's session as `auth:logout` does
 * and always clears the cookie, so a page can also drop a cookie whose session ended elsewhere.
 */
export function createBrowserSessionRouter(ctx: HubContext, connection: Connection): Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  router.use("/api/web", noStore, ownOriginOnly);

  router.post(WEB_LOGIN_PATH, ...jsonBody, async (request, response) => {
    const { ack } = await dispatchEvent(ctx, routes, { ...browserRequest(request, WEB_LOGIN_PATH, connection), event: "auth:complete", payload: request.body ?? {} });
    if (!ack.ok) return sendAck(response, ack);
    const { token, expiresAt, user } = ack.data as EventReply<"auth:complete">;
    response.set("Set-Cookie", sessionCookie(token, new Date(expiresAt), ctx.clock.now()));
    sendAck(response, success({ expiresAt, user }));
  });

  router.post(WEB_LOGOUT_PATH, ...jsonBody, async (request, response) => {
    response.set("Set-Cookie", CLEARED_SESSION_COOKIE);
    const { ack } = await dispatchEvent(ctx, routes, {
      ...browserRequest(request, WEB_LOGOUT_PATH, connection),
      event: "auth:logout",
      payload: {},
      authenticate: cookieSession(ctx, request),
    });
    sendAck(response, ack);
  });
  router.use(restErrorHandler(ctx));
  return router;
}

/**
 * CSRF defence for the whole hub: a state-changing request that carries the session cookie is
 * refused unless it comes from the hub's own origin. Terminal programs (bearer tokens, no
 * cookie) are not concerned.
 */
export const refuseCrossSiteWrites: RequestHandler = (request, response, next) => {
  if (SAFE_METHODS.has(request.method) || !carriesSessionCookie(request.get("cookie"))) return next();
  const refused = originRefusal({ origin: request.get("origin"), host: request.get("host") }, true);
  if (!refused) return next();
  sendAck(response, failure("forbidden", refused));
};

/** Logging in and out through the browser routes always needs the hub's own origin (no login CSRF). */
const ownOriginOnly: RequestHandler = (request, response, next) => {
  const refused = originRefusal({ origin: request.get("origin"), host: request.get("host") }, true);
  if (!refused) return next();
  sendAck(response, failure("forbidden", refused));
};

const noStore: RequestHandler = (_request, response, next) => {
  response.set("Cache-Control", "no-store");
  next();
};

function browserRequest(request: Request, route: string, connection: Connection) {
  // The TCP peer, as for a socket or the REST mirror: one origin per machine on every transport.
  const origin: Origin = { address: request.socket.remoteAddress ?? "unknown" };
  // The browser's calls share the REST mirror's per-address budget.
  return { caller: { origin, connection }, budgetKey: `rest|${addressKey(origin.address)}`, logFields: { route: `POST ${route}` } };
}

function cookieSession(ctx: HubContext, request: Request): Authenticate {
  return async () => {
    const token = readSessionCookie(request.get("cookie"));
    const lookup = token === undefined ? undefined : await validateSessionToken(ctx, token);
    if (lookup?.ok) return lookup;
    return { ok: false, failure: failure("unauthorized", "This browser holds no live session; log in again.") };
  };
}
