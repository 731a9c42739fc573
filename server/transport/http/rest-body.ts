import express, { type ErrorRequestHandler, type RequestHandler } from "express";
import { failure } from "#protocol";
import type { HubContext } from "../../context.ts";
import { internalError } from "../../events/failures.ts";
import { REST_BODY_MAX_BYTES } from "./rest-api.ts";
import { sendAck } from "./rest-handler.ts";

const unsupportedType = () => failure("invalid_request", "Send the body as JSON, with Content-Type: application/json.");

// Compressed bodies are refused (415) rather than inflated: a body this small gains nothing from it.
const readJson = express.json({ limit: REST_BODY_MAX_BYTES, strict: true, inflate: false });
const readUntyped = express.raw({ type: () => true, limit: REST_BODY_MAX_BYTES, inflate: false });

/**
 * A body, when there is one, must be JSON. A POST with no body stands for `{}`: one with no
 * Content-Type and an empty body (`Content-Length: 0`, or an empty chunked body, as many HTTP
 * libraries send for a bodiless POST) is read to make sure it is empty.
 */
const requireJsonBody: RequestHandler = (request, response, next) => {
  // `is` answers null when there is no body, false when there is one of another type.
  if (request.is("application/json") !== false) return next();
  if (request.get("content-type") !== undefined) return sendAck(response, unsupportedType(), 415);
  readUntyped(request, response, (error?: unknown) => {
    if (error) return next(error);
    if (Buffer.isBuffer(request.body) && request.body.length > 0) return sendAck(response, unsupportedType(), 415);
    request.body = undefined;
    next();
  });
};

/** The body readers of every route that takes one: type first, then size, then JSON. */
export const jsonBody: RequestHandler[] = [requireJsonBody, readJson];

/** body-parser's refusals (`error.type`), as acks; each names what to fix and never echoes the body. */
const BODY_REFUSALS: Readonly<Record<string, { status: number; message: string }>> = {
  "entity.too.large": { status: 413, message: `The body is larger than ${REST_BODY_MAX_BYTES} bytes.` },
  "entity.parse.failed": { status: 400, message: "The body is not valid JSON (an object is expected)." },
  "encoding.unsupported": { status: 415, message: "The body's Content-Encoding is not supported; send it uncompressed." },
  "charset.unsupported": { status: 415, message: "The body must be UTF-8." },
  "request.aborted": { status: 400, message: "The request ended before its body did." },
  "request.size.invalid": { status: 400, message: "The body is shorter or longer than its Content-Length." },
};

/**
 * The last handler of the REST router. body-parser errors carry the raw body (a password, say),
 * so only their type is logged, never the error itself.
 */
export function restErrorHandler(ctx: HubContext): ErrorRequestHandler {
  return (error: unknown, request, response, next) => {
    if (response.headersSent) return next(error);
    const type = typeof error === "object" && error !== null ? (error as { type?: unknown }).type : undefined;
    const refusal = typeof type === "string" && Object.hasOwn(BODY_REFUSALS, type) ? BODY_REFUSALS[type]! : undefined;
    if (refusal) {
      ctx.log.info({ route: `${request.method} ${request.path}`, refused: type }, "REST body refused");
      return sendAck(response, failure("invalid_request", refusal.message), refusal.status);
    }
    const carriesBody = typeof error === "object" && error !== null && "body" in error;
    ctx.log.error({ route: `${request.method} ${request.path}`, ...(carriesBody ? { refused: type } : { err: error }) }, "REST request failed");
    sendAck(response, internalError());
  };
}
