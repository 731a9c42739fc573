import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseFilePath, databaseProvider, databaseUrlProblem, describeDatabase, POSTGRES_CONNECT_TIMEOUT_MS, postgresConnectionConfig, postgresSchema } from "./database-url.ts";

describe("databaseProvider", () => {
  it("reads file: URLs and plain paths as SQLite, postgresql:// and postgres:// as PostgreSQL", () => {
    expect(databaseProvider("file:./data/pairgate.db")).toBe("sqlite");
    expect(databaseProvider("data/pairgate.db")).toBe("sqlite");
    expect(databaseProvider("postgresql://hub@db/pairgate")).toBe("postgresql");
    expect(databaseProvider("postgres://hub@db/pairgate")).toBe("postgresql");
  });
});

describe("databaseUrlProblem", () => {
  it("accepts SQLite files and PostgreSQL databases", () => {
    expect(databaseUrlProblem("file:./data/pairgate.db")).toBeUndefined();
    expect(databaseUrlProblem("postgresql://hub:secret@db.example:5432/pairgate?schema=hub")).toBeUndefined();
  });

  it.each(["file:", "mysql://db/pairgate", "postgresql://hub@db.example:5432", "postgresql://hub@db.example:5432/", "postgresql://[oops/pairgate"])(
    "refuses %s",
    (url) => {
      expect(databaseUrlProblem(url)).toEqual(expect.any(String));
    },
  );
});

describe("databaseFilePath", () => {
  it("reads file: URLs and plain paths, relative to the working directory", () => {
    expect(databaseFilePath("file:./data/pairgate.db")).toBe(path.resolve("data/pairgate.db"));
    expect(databaseFilePath("file:/srv/hub.db?connection_limit=1")).toBe("/srv/hub.db");
    expect(databaseFilePath("file:///srv/hub.db")).toBe("/srv/hub.db");
    expect(databaseFilePath("data/hub.db")).toBe(path.resolve("data/hub.db"));
  });
});

describe("postgresConnectionConfig", () => {
  it("searches the URL's schema, public by default, and runs sessions in UTC", () => {
    expect(postgresSchema("postgresql://db/pairgate")).toBe("public");
    expect(postgresConnectionConfig("postgresql://db/pairgate?schema=hub").options).toBe('-c search_path="hub" -c TimeZone=UTC');
  });

  it("gives up connecting after 5 s, or after the URL's connect_timeout when it has one", () => {
    expect(postgresConnectionConfig("postgresql://db/pairgate").connectionTimeoutMillis).toBe(POSTGRES_CONNECT_TIMEOUT_MS);
    expect(postgresConnectionConfig("postgresql://db/pairgate?connect_timeout=1").connectionTimeoutMillis).toBe(1000);
  });
});

describe("describeDatabase", () => {
  it("never shows a password", () => {
    expect(describeDatabase("postgresql://hub:s3cret@db.example:5432/pairgate")).toBe("postgresql://hub:***@db.example:5432/pairgate");
    expect(describeDatabase("postgresql://db.example/pairgate?user=hub&password=s3cret")).not.toContain("s3cret");
    expect(describeDatabase("file:./data/pairgate.db")).toBe(path.resolve("data/pairgate.db"));
  });
});
