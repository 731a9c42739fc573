import express, { type RequestHandler, type Router } from "express";
import { clientEvents, failure } from "#protocol";
import type { HubContext } from "../../context.ts";
import { clientHandlers } from "../../events/client-handlers.ts";
import type { Connection } from "../../events/handler.ts";
import { jsonBody, restErrorHandler } from "./rest-body.ts";
import { REST_ROUTES, type RestRoute } from "./rest-api.ts";
import { restHandler, sendAck } from "./rest-handler.ts";

/** Every `/api` route but the health check: the REST mirror, its refusals, and `Cache-Control: no-store` throughout. */
export function createRestRouter(ctx: HubContext, connection: Connection): Router {
  const router = express.Router({ caseSensitive: true, strict: false });
  router.use("/api", noStore);
  const routes = { definitions: clientEvents, handlers: clientHandlers };
  for (const route of REST_ROUTES) {
    const handler = restHandler(ctx, routes, route, connection);
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
