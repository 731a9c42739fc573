import type { ExtendedError } from "socket.io";
import type { ConnectErrorCode } from "#protocol";
import type { HubContext } from "../../context.ts";
import { UNAVAILABLE_MESSAGE, unreachableDependencyOf } from "../../dependencies/unreachable-errors.ts";
import { validateSessionToken } from "../../sessions/sessions.ts";
import { carriesSessionCookie, readSessionCookie } from "../web/session-cookie.ts";
import { originRefusal } from "../web/own-origin.ts";
import { attachSession, type ClientSocket } from "./client-socket.ts";

const TOKEN_MAX_LENGTH = 128;

function refusal(code: ConnectErrorCode, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code };
  return error;
}

/**
 * `/client` handshake: no credentials means an anonymous socket. Terminal programs send
 * `auth.token`; a browser page sends the session cookie, which counts only from the hub's own
 * origin, and a browser handshake from another site's page is refused whatever it carries.
 * The session is resolved here once so that later events need no lookup.
 */
export function clientHandshake(ctx: HubContext) {
  return async (socket: ClientSocket, next: (error?: ExtendedError) => void) => {
    socket.data.inFlight = 0;
    socket.data.closeWhenIdle = false;
    socket.data.session = undefined;
    socket.data.openLogins = new Map();
    const { headers } = socket.handshake;
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === "object" && auth !== null ? (auth as { token?: unknown }).token : undefined;
    const usesCookie = token === undefined && carriesSessionCookie(headers.cookie);
    const refusedOrigin = originRefusal(headers, usesCookie);
    if (refusedOrigin) return next(refusal("origin_not_allowed", refusedOrigin));
    const credential = usesCookie ? readSessionCookie(headers.cookie) : token;
    if (credential === undefined && !usesCookie) return next();
    if (typeof credential !== "string" || credential.length === 0 || credential.length > TOKEN_MAX_LENGTH) {
      return next(refusal(usesCookie ? "invalid_token" : "invalid_handshake", usesCookie ? "The session cookie is not valid; log in again." : "The handshake token must be a session token string."));
    }
    try {
      const lookup = await validateSessionToken(ctx, credential);
      if (!lookup.ok) {
        const message = lookup.reason === "session_expired" ? "The session has expired; log in again." : "The session token is not valid; log in again.";
        return next(refusal(lookup.reason, message));
      }
      attachSession(socket, lookup.session);
      next();
    } catch (error) {
      // An unreachable database is logged once per outage (DependencyHealth), not per handshake,
      // and told apart, so that no client takes the refusal for a verdict on its session.
      if (unreachableDependencyOf(error)) return next(refusal("unavailable", UNAVAILABLE_MESSAGE));
      ctx.log.error({ err: error, socketId: socket.id }, "handshake failed");
      next(refusal("invalid_handshake", "The hub could not check the session; try again."));
    }
  };
}
