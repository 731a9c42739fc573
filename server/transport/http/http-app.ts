import express, { type ErrorRequestHandler, type Express } from "express";
import helmet from "helmet";
import { failure } from "#protocol";
import type { HubContext } from "../../context.ts";
import type { DependencyHealth } from "../../dependencies/dependency-health.ts";
import type { Connection } from "../../events/handler.ts";
import { HUB_VERSION } from "../../version.ts";
import { createBrowserSessionRouter, refuseCrossSiteWrites } from "../web/browser-sessions.ts";
import { createRestRouter } from "./rest-routes.ts";
import { createWebAppRouter } from "./web-app.ts";

export function createHttpApp(ctx: HubContext, health: DependencyHealth, connection: Connection): Express {
  const app = express();
  app.disable("x-powered-by");
  // The API answers JSON: nothing it answers may load anything, or be framed. The browser app
  // (web-app.ts) replaces this policy with its own for its pages.
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } }, frameguard: { action: "deny" } }));

  // Before any route: no state-changing request acts with the browser's cookie from another site.
  app.use(refuseCrossSiteWrites);

  app.get("/api/health", async (_request, response) => {
    // Probed now, each within a timeout; an outage is logged by DependencyHealth once, not per request.
    const dependencies = await health.check();
    const healthy = Object.values(dependencies).every((dependency) => dependency.reachable);
    response.status(healthy ? 200 : 503).json({ status: healthy ? "ok" : "degraded", version: HUB_VERSION, ...dependencies });
  });
  app.use(createBrowserSessionRouter(ctx, connection));
  app.use(createRestRouter(ctx, connection));
  // Everything outside /api is the browser app (its files, and index.html for its routes).
  app.use(createWebAppRouter(ctx.log));

  app.use((_request, response) => {
    response.status(404).json(failure("not_found", "No such endpoint."));
  });
  app.use(lastResort(ctx));
  return app;
}

/** Whatever escaped every route still answers JSON, and the hub keeps running. */
function lastResort(ctx: HubContext): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) return next(error);
    ctx.log.error({ route: `${request.method} ${request.path}`, errorName: error instanceof Error ? error.name : typeof error }, "HTTP request failed");
    response.status(500).json(failure("internal_error", "The hub failed to handle the request."));
  };
}
