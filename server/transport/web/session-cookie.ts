/**
 * The browser's session cookie. `__Host-` makes the browser refuse it unless it is Secure, has
 * Path=/ and no Domain, so no other host (a sibling subdomain, a DNS-rebinding name) can set or
 * receive it; HttpOnly keeps it from page scripts; SameSite=Strict keeps other sites' pages from
 * sending it.
 */
export const SESSION_COOKIE_NAME = "__Host-pairgate-session";

/** A session token is 43 characters; a much longer cookie value is refused before it is hashed. */
const COOKIE_TOKEN_MAX_LENGTH = 128;

/** The `Set-Cookie` value that hands the browser its session, living exactly as long as the session. */
export function sessionCookie(token: string, expiresAt: Date, now: Date): string {
  const maxAgeSeconds = Math.max(0, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
  return `${SESSION_COOKIE_NAME}=${token}; Max-Age=${maxAgeSeconds}; Path=/; HttpOnly; Secure; SameSite=Strict`;
}

/** The `Set-Cookie` value that makes the browser drop the session cookie. */
export const CLEARED_SESSION_COOKIE = `${SESSION_COOKIE_NAME}=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict`;

/**
 * The session token in a `Cookie` header, if there is one (RFC 6265 5.4: `name=value` pairs
 * separated by `; `). A value of the wrong shape counts as no cookie at all.
 */
export function readSessionCookie(cookieHeader: string | undefined): string | undefined {
  if (!cookieHeader) return undefined;
  for (const pair of cookieHeader.split(";")) {
    const separator = pair.indexOf("=");
    if (separator < 0 || pair.slice(0, separator).trim() !== SESSION_COOKIE_NAME) continue;
    const value = pair.slice(separator + 1).trim();
    if (value.length === 0 || value.length > COOKIE_TOKEN_MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(value)) return undefined;
    return value;
  }
  return undefined;
}

/** Whether a `Cookie` header carries the session cookie at all, well-formed or not. */
export function carriesSessionCookie(cookieHeader: string | undefined): boolean {
  return cookieHeader !== undefined && cookieHeader.split(";").some((pair) => pair.trim().startsWith(`${SESSION_COOKIE_NAME}=`));
}
