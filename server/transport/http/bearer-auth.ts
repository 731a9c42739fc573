import type { Request } from "express";
import { failure, type Failure } from "#protocol";
import type { HubContext } from "../../context.ts";
import { validateSessionToken, type ActiveSession } from "../../sessions/sessions.ts";
import { BEARER_REALM } from "./rest-api.ts";

/** A session token is 43 characters; anything much longer is refused before it is hashed (as at the socket handshake). */
const BEARER_TOKEN_MAX_LENGTH = 128;
/** RFC 6750 2.1: `Bearer` and a b64token; the scheme is case-insensitive (RFC 9110 11.1). */
const BEARER_HEADER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export type BearerCheck = { ok: true; session: ActiveSession } | { ok: false; failure: Failure; wwwAuthenticate: string };

/**
 * Resolves `Authorization: Bearer <token>` to a live session, with the same token check as a
 * `/client` handshake, so a token works on either transport. A refusal carries the
 * `WWW-Authenticate` challenge to send with it (RFC 6750 3).
 */
export async function checkBearerToken(ctx: HubContext, request: Request): Promise<BearerCheck> {
  const header = request.get("authorization");
  if (header === undefined) {
    return refuse(failure("unauthorized", "This route needs a session: send Authorization: Bearer <token>."), `Bearer realm="${BEARER_REALM}"`);
  }
  const token = BEARER_HEADER.exec(header)?.[1];
  if (token === undefined || token.length > BEARER_TOKEN_MAX_LENGTH) {
    return refuse(failure("invalid_request", "The Authorization header must be: Bearer <token>."), challenge("invalid_request", "Malformed Authorization header"));
  }
  const lookup = await validateSessionToken(ctx, token);
  if (lookup.ok) return lookup;
  const message = lookup.reason === "session_expired" ? "The session has expired; log in again." : "The session token is not valid; log in again.";
  return refuse(failure("unauthorized", message), challenge("invalid_token", message));
}

function challenge(error: "invalid_request" | "invalid_token", description: string): string {
  return `Bearer realm="${BEARER_REALM}", error="${error}", error_description="${description}"`;
}

function refuse(refusal: Failure, wwwAuthenticate: string): BearerCheck {
  return { ok: false, failure: refusal, wwwAuthenticate };
}
