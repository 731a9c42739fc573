/**
 * Telling "a service the hub depends on did not answer" apart from a bug, so that the
 * transports answer `unavailable` (503, try again shortly) rather than `internal_error`,
 * and do not log a stack trace per request during an outage (the dependency health log says
 * it once).
 */
export type DependencyName = "database" | "redis";

/** What a handshake refused for an unreachable database says (connect_error `unavailable`). */
export const UNAVAILABLE_MESSAGE = "The hub cannot reach its database to check the credentials right now; keep them and try again shortly.";

/** Thrown by the hub's own wrappers (the Redis rate limits) when their service cannot answer. */
export class DependencyUnreachableError extends Error {
  override name = "DependencyUnreachableError";
  constructor(
    readonly dependency: DependencyName,
    options?: { cause?: unknown },
  ) {
    super(`${dependency === "redis" ? "Redis" : "The database"} did not answer`, options);
  }
}

// Prisma's codes for a database it cannot reach or that dropped the connection
// (https://www.prisma.io/docs/orm/reference/error-reference): P1001 can't reach, P1002 timed out
// reaching, P1008 operation timed out, P1017 server closed the connection, P2024 no free
// connection in the pool in time, P2037 too many connections.
const PRISMA_UNREACHABLE_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024", "P2037"]);

// PostgreSQL SQLSTATE class 08 (connection exception) and 57P01..57P03 (the server is shutting
// down, crashed, or cannot accept connections yet): https://www.postgresql.org/docs/current/errcodes-appendix.html
const POSTGRES_UNREACHABLE_STATE = /^(08|57P0[123])/;

const SOCKET_ERROR_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);

const ADAPTER_UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);

// Errors that drivers raise as plain Errors, with nothing but their message to go by.
// node-postgres: a dropped or never-made connection, a full pool.
const DATABASE_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /^Can't reach database server/];
// ioredis: no connection, or no answer within the command timeout (rate limits, the adapter).
const REDIS_MESSAGES = [
  /^Command timed out/,
  /^Connection is closed\./,
  /^Stream isn't writeable/,
  /^Reached the max retries per request limit/,
  /^Redis connection is not ready/,
];

/** Which dependency `error`, or any error in its `cause` chain, says could not be reached; null for anything else. */
export function unreachableDependencyOf(error: unknown): DependencyName | null {
  const seen = new Set<unknown>();
  for (let current = error; isObject(current) && !seen.has(current); current = current.cause) {
    seen.add(current);
    if (current instanceof DependencyUnreachableError) return current.dependency;
    if (typeof current.message === "string" && REDIS_MESSAGES.some((pattern) => pattern.test(current.message as string))) return "redis";
    if (describesUnreachableDatabase(current)) return "database";
    const adapterError = isObject(current.meta) ? current.meta.driverAdapterError : undefined;
    if (isObject(adapterError) && describesUnreachableDatabase(adapterError)) return "database";
  }
  return null;
}

interface ErrorLike {
  cause?: unknown;
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: unknown };
  kind?: unknown;
  originalCode?: unknown;
}

function isObject(value: unknown): value is ErrorLike {
  return typeof value === "object" && value !== null;
}

function describesUnreachableDatabase(error: ErrorLike): boolean {
  if (typeof error.code === "string" && (PRISMA_UNREACHABLE_CODES.has(error.code) || SOCKET_ERROR_CODES.has(error.code))) return true;
  if (typeof error.code === "string" && error.code.length === 5 && POSTGRES_UNREACHABLE_STATE.test(error.code)) return true;
  if (typeof error.message === "string" && DATABASE_MESSAGES.some((pattern) => pattern.test(error.message as string))) return true;
  // A Prisma 7 driver adapter error carries its kind, and the driver's own code, in `cause`.
  const cause = isObject(error.cause) ? error.cause : undefined;
  if (cause && ADAPTER_UNREACHABLE_KINDS.has(String(cause.kind))) return true;
  return cause !== undefined && typeof cause.originalCode === "string" && POSTGRES_UNREACHABLE_STATE.test(cause.originalCode);
}
