import { existsSync } from "node:fs";
import path from "node:path";
import express, { type RequestHandler, type Router } from "express";
import helmet from "helmet";
import { packageFile } from "../../../common/package-files.ts";
import type { Logger } from "../../logger.ts";

/** Where `npm run build:web` puts the browser app: dist/web in the checkout or the installed package. */
export const WEB_APP_DIR = packageFile("dist", "web");

// Vite names every built asset after a hash of its content: a changed file gets a new name, so
// browsers may keep the old one for a year without asking (RFC 8246 immutable).
const HASHED_ASSET_MAX_AGE_SECONDS = 365 * 24 * 3600;

/**
 * The page may run and style only what the hub itself serves: no inline script or style, no other
 * origin, no plugin, no framing; its only connection is the Socket.IO one back to this origin
 * (CSP3: 'self' covers wss:// to the same host and port).
 */
export const WEB_APP_CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", "data:"],
  fontSrc: ["'self'"],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
};

/** A path the app itself routes (no file extension): answered with index.html, the app decides. */
const APP_ROUTE = /^\/(?:[a-z0-9-]+(?:\/[a-z0-9-]+)*)?\/?$/i;

/**
 * Serves the built browser app from `dir`: hashed assets cached for good, index.html never
 * cached (it names the current assets), and index.html for the app's own routes.
 */
export function createWebAppRouter(log: Logger, dir = WEB_APP_DIR): Router {
  const router = express.Router();
  const indexFile = path.join(dir, "index.html");
  if (!existsSync(indexFile)) {
    log.warn({ dir }, "the web interface is not built; run `npm run build:web`");
    return router;
  }
  router.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: WEB_APP_CSP_DIRECTIVES }, frameguard: { action: "deny" } }));
  router.use(
    "/assets",
    express.static(path.join(dir, "assets"), { index: false, immutable: true, maxAge: HASHED_ASSET_MAX_AGE_SECONDS * 1000 }),
  );
  router.use(express.static(dir, { index: false, setHeaders: (response) => response.set("Cache-Control", "no-cache") }));
  router.get(APP_ROUTE, appPage(indexFile));
  return router;
}

/**
 * Browsers navigating get the app, which shows its own "not found" for a path it does not know;
 * programs (curl's Accept of any type, or JSON) fall through to the API's JSON 404.
 */
function appPage(indexFile: string): RequestHandler {
  return (request, response, next) => {
    if (request.accepts(["json", "html"]) !== "html") return next();
    response.set("Cache-Control", "no-cache");
    response.sendFile(indexFile);
  };
}
