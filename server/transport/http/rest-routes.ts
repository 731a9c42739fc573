import express, { type RequestHandler, type Router } from "express";
import { failure } from "#protocol";
import { registerAccount } from "../../accounts/accounts.ts";
import { resendVerification, verifyEmail } from "../../accounts/email-verification.ts";
import { requestPasswordReset, resetPassword } from "../../accounts/password-reset.ts";
import { completeLogin, startLogin } from "../../auth/login.ts";
import type { HubContext } from "../../context.ts";
import { describeCurrentSession, listOwnSessions, logOutSession, revokeOwnSession } from "../../sessions/current-session.ts";
import { jsonBody, restErrorHandler } from "./rest-body.ts";
import { REST_ROUTES, type RestEventName, type RestRoute } from "./rest-api.ts";
import { restHandler, sendAck, type RestBinding } from "./rest-handler.ts";

type RestBindings = { [E in RestEventName]: RestBinding<E> };

/**
 * The domain call behind each route: the same functions the `/client` socket handlers call
 * (server/transport/socket/client-handlers.ts), without what only a socket has (rooms, pushes).
 */
function restBindings(ctx: HubContext): RestBindings {
  return {
    "account:register": (payload, { origin }) => registerAccount(ctx, payload, origin),
    "account:verify-email": (payload, { origin }) => verifyEmail(ctx, payload, origin),
    "account:resend-verification": (payload, { origin }) => resendVerification(ctx, payload, origin),
    "auth:login": (payload, { origin }) => startLogin(ctx, payload, origin),
    "auth:complete": async (payload, { origin }) => (await completeLogin(ctx, payload, origin)).reply,
    "account:me": (_payload, { session }) => describeCurrentSession(ctx, session),
    "session:list": (_payload, { session }) => listOwnSessions(ctx, session),
    "session:revoke": ({ sessionId }, { session, origin }) => revokeOwnSession(ctx, session, sessionId, origin),
    "auth:logout": (_payload, { session, origin }) => logOutSession(ctx, session, origin),
    "password:forgot": (payload, { origin }) => requestPasswordReset(ctx, payload, origin),
    "password:reset": (payload, { origin }) => resetPassword(ctx, payload, origin),
  };
}

/** Every `/api` route but the health check: the REST mirror, its refusals, and `Cache-Control: no-store` throughout. */
export function createRestRouter(ctx: HubContext): Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  router.use("/api", noStore);
  const bindings = restBindings(ctx);
  for (const route of REST_ROUTES) {
    const handler = restHandler(ctx, route as RestRoute & { event: RestEventName }, bindings[route.event] as RestBinding<RestEventName>);
    const readers = route.method === "POST" ? jsonBody : [];
    router[verbOf(route)](route.path, ...readers, handler);
  }
  for (const [path, methods] of methodsByPath()) router.all(path, methodNotAllowed(path, methods));
  router.use("/api", notFound);
  router.use(restErrorHandler(ctx));
  return router;
}

const noStore: RequestHandler = (_request, response, next) => {
  // Tokens, challenges and account data: no cache, shared or private, may keep them (RFC 9111 5.2.2.5).
  response.set("Cache-Control", "no-store");
  next();
};

const notFound: RequestHandler = (_request, response) => {
  sendAck(response, failure("not_found", "No such endpoint; the routes are listed in docs/PROTOCOL.md, \"REST API\"."));
};

function methodNotAllowed(path: string, methods: readonly string[]): RequestHandler {
  return (request, response) => {
    response.set("Allow", methods.join(", "));
    sendAck(response, failure("invalid_request", `${request.method} is not allowed on ${path}; use ${methods.join(" or ")}.`), 405);
  };
}

function methodsByPath(): Map<string, string[]> {
  const byPath = new Map<string, string[]>();
  for (const route of REST_ROUTES) byPath.set(route.path, [...(byPath.get(route.path) ?? []), route.method]);
  return byPath;
}

function verbOf(route: RestRoute): "get" | "post" | "delete" {
  return route.method.toLowerCase() as "get" | "post" | "delete";
}
