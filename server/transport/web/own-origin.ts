/**
 * Cross-site WebSocket hijacking and CSRF defence: a browser request that acts with the session
 * cookie must come from the hub's own pages. The hub's own origin is the one the browser
 * addressed: `https://` and the `Host` it sent. A page elsewhere cannot make its `Origin` equal
 * that; a DNS-rebinding name matches itself but never receives the `__Host-` cookie, which is
 * bound to the hub's real host name. Terminal programs send no `Origin` (and no cookie).
 */
export function isOwnOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin || !host) return false;
  const named = origin.toLowerCase();
  const own = host.toLowerCase();
  // `http://` and the same host and port is what non-browser WebSocket libraries send by default
  // (Python's websocket-client, under python-socketio). No page can have that origin: this port
  // speaks only TLS, and a browser would not send the SameSite cookie from it (schemeful same-site).
  return named === `https://${own}` || named === `http://${own}`;
}

/**
 * Whether a handshake or request may go on as far as its origin goes: one that names a foreign
 * `Origin` never may; one that acts with the cookie must name the hub's own.
 */
export function originRefusal(headers: { origin?: string | undefined; host?: string | undefined }, usesCookie: boolean): string | null {
  const { origin, host } = headers;
  if (origin !== undefined && !isOwnOrigin(origin, host)) return "The request comes from another site's page (its Origin is not the hub's own).";
  if (usesCookie && origin === undefined) return "A request that acts with the session cookie must carry the hub's own Origin.";
  return null;
}
