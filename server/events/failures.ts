import type { z } from "zod";
import { failure, type Failure } from "#protocol";
import { unreachableDependencyOf } from "../dependencies/unreachable-errors.ts";
import { PasswordPoolBusyError } from "../passwords/password-pool.ts";

/**
 * Failures both transports answer the same way, so that a socket event and its REST mirror
 * refuse the same request with the same code, message and details.
 */

/** A payload that does not fit its event's schema: every issue, with its dotted path. */
export function invalidRequest(error: z.ZodError): Failure {
  const details = error.issues.map((issue) => ({ path: issue.path.join(".") || "(payload)", message: issue.message }));
  const summary = details.map((detail) => `${detail.path}: ${detail.message}`).join("; ");
  return failure("invalid_request", `The request is not valid: ${summary}`, { details });
}

export const payloadNotAnObject = (): Failure => failure("invalid_request", "The payload must be a JSON object.");

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// About how long a restart or failover of the database or Redis takes; a hint, not a promise.
const UNAVAILABLE_RETRY_SECONDS = 5;

/**
 * What a handler's throw becomes: a full password pool, or a database or Redis that does not
 * answer, is an expected refusal (back off and retry; the outage itself is logged once by
 * DependencyHealth); anything else is the hub's fault, and `null` tells the caller to log it.
 */
export function expectedFailureOf(error: unknown): Failure | null {
  if (error instanceof PasswordPoolBusyError) {
    return failure("rate_limited", "The hub is busy checking passwords; try again shortly.", { retryAfterSeconds: 1 });
  }
  const unreachable = unreachableDependencyOf(error);
  if (unreachable === "redis") {
    return failure("unavailable", "The hub cannot reach Redis, where it counts attempts against its limits, so it refused rather than let them go uncounted; try again shortly.", { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS });
  }
  if (unreachable === "database") {
    return failure("unavailable", "The hub cannot reach its database right now; try again shortly.", { retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS });
  }
  return null;
}

export const internalError = (): Failure => failure("internal_error", "The hub failed to handle the request.");
