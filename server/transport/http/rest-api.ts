import type { ClientEventName } from "#protocol";

/**
 * The REST mirror of `/client` events, for external clients that do not speak Socket.IO. Each
 * route names the event it mirrors: it takes that event's payload as its JSON body (or, for
 * `GET` and `DELETE`, from its path), answers that event's ack, and needs the event's access
 * (`Authorization: Bearer <token>` for session events). Plain data, so that docs/PROTOCOL.md is
 * generated from the same table the hub serves (scripts/protocol-doc/rest-section.ts).
 */
export interface RestRoute {
  method: "GET" | "POST" | "DELETE";
  /** An express path under `/api`; `:name` parts fill the payload field of the same name. */
  path: string;
  event: ClientEventName;
  /** 201 when the call creates something a client will refer to, else 200. */
  successStatus: 200 | 201;
}

export const REST_ROUTES = [
  { method: "POST", path: "/api/account/register", event: "account:register", successStatus: 201 },
  { method: "POST", path: "/api/account/verify-email", event: "account:verify-email", successStatus: 200 },
  { method: "POST", path: "/api/account/resend-verification", event: "account:resend-verification", successStatus: 200 },
  { method: "POST", path: "/api/auth/login", event: "auth:login", successStatus: 200 },
  { method: "POST", path: "/api/auth/prove-key", event: "auth:prove-key", successStatus: 200 },
  { method: "POST", path: "/api/auth/complete", event: "auth:complete", successStatus: 200 },
  { method: "GET", path: "/api/me", event: "account:me", successStatus: 200 },
  { method: "GET", path: "/api/sessions", event: "session:list", successStatus: 200 },
  { method: "DELETE", path: "/api/sessions/:sessionId", event: "session:revoke", successStatus: 200 },
  { method: "POST", path: "/api/auth/logout", event: "auth:logout", successStatus: 200 },
  { method: "POST", path: "/api/password/forgot", event: "password:forgot", successStatus: 200 },
  { method: "POST", path: "/api/password/reset", event: "password:reset", successStatus: 200 },
] as const satisfies readonly RestRoute[];


/**
 * Largest JSON body a route reads; a larger one answers 413 before it is parsed. The largest
 * payload the schemas admit (a 16,384-character public key PEM, its line breaks escaped, and a
 * 1,024-character password) fits; half of what one Socket.IO message may carry (MAX_MESSAGE_BYTES).
 */
export const REST_BODY_MAX_BYTES = 32 * 1024;

/** The realm named in `WWW-Authenticate` (RFC 6750 3). */
export const BEARER_REALM = "pairgate";

/** `"POST /api/auth/login"`: how the docs and the tests name a route. */
export const routeName = (route: Pick<RestRoute, "method" | "path">) => `${route.method} ${route.path}`;
