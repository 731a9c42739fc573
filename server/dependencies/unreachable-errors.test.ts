import { describe, expect, it } from "vitest";
import { DependencyUnreachableError, unreachableDependencyOf } from "./unreachable-errors.ts";

/** Shaped as Prisma 7 throws it: PrismaClientKnownRequestError with the adapter's error in meta. */
function prismaError(code: string, cause: Record<string, unknown>) {
  return Object.assign(new Error("prisma"), { code, meta: { driverAdapterError: Object.assign(new Error("adapter"), { cause }) } });
}

describe("unreachableDependencyOf", () => {
  it.each([
    ["Prisma cannot reach the server (P1001)", prismaError("P1001", { kind: "DatabaseNotReachable" })],
    ["the server closed the connection (P1017)", prismaError("P1017", { kind: "ConnectionClosed" })],
    ["no pooled connection in time (P2024)", Object.assign(new Error("pool"), { code: "P2024" })],
    ["PostgreSQL is shutting down (57P01)", prismaError("P2010", { kind: "postgres", originalCode: "57P01" })],
    ["a connection exception (class 08)", Object.assign(new Error("x"), { code: "08006" })],
    ["node-postgres lost the connection", new Error("Connection terminated unexpectedly")],
    ["a refused socket, as a cause", new Error("wrapped", { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) })],
  ])("says the database for %s", (_case, error) => {
    expect(unreachableDependencyOf(error)).toBe("database");
  });

  it.each([
    ["the hub's own refusal", new DependencyUnreachableError("redis")],
    ["an ioredis command timeout", new Error("Command timed out")],
    ["an ioredis client with no connection", new Error("Stream isn't writeable and enableOfflineQueue options is false")],
  ])("says Redis for %s", (_case, error) => {
    expect(unreachableDependencyOf(error)).toBe("redis");
  });

  it.each([
    ["a unique constraint (P2002)", prismaError("P2002", { kind: "UniqueConstraintViolation" })],
    ["a plain bug", new TypeError("x is undefined")],
    ["a syntax error in SQL (42601)", Object.assign(new Error("x"), { code: "42601" })],
    ["not an error at all", "text"],
  ])("says nothing for %s", (_case, error) => {
    expect(unreachableDependencyOf(error)).toBeNull();
  });
});
