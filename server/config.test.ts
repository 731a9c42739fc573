import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSettings, SettingsError } from "./config.ts";

describe("readSettings", () => {
  it("needs no configuration at all", () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({ host: "127.0.0.1", port: 8443, bcryptCost: 12, logLevel: "info" });
    expect(settings.dataDir).toBe(path.resolve("data"));
    expect(settings.databaseUrl).toBe(`file:${path.resolve("data/pairgate.db")}`);
    expect(settings.certDir).toBe(path.resolve("certs"));
  });

  it("takes DATABASE_URL as a SQLite file URL, made absolute", () => {
    expect(readSettings({ DATABASE_URL: "file:/tmp/x/hub.db" }).databaseUrl).toBe("file:/tmp/x/hub.db");
    expect(readSettings({ DATABASE_URL: "file:./x/hub.db" }).databaseUrl).toBe(`file:${path.resolve("x/hub.db")}`);
  });

  it.each(["postgresql://hub:secret@db.example:5432/pairgate?schema=hub", "postgres://localhost/pairgate"])("takes DATABASE_URL as a PostgreSQL URL: %s", (url) => {
    expect(readSettings({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it("never repeats a bad DATABASE_URL, which may hold a password", () => {
    expect(() => readSettings({ DATABASE_URL: "postgresql://hub:s3cret@db.example:5432" })).toThrow(/^Invalid settings: DATABASE_URL: Must name the database/);
    expect(() => readSettings({ DATABASE_URL: "postgresql://hub:s3cret@db.example:5432" })).not.toThrow(/s3cret/);
  });

  it.each([
    ["PAIRGATE_PORT", "eighty"],
    ["PAIRGATE_PORT", "70000"],
    ["PAIRGATE_BCRYPT_COST", "3"],
    ["PAIRGATE_BCRYPT_COST", "31"],
    ["PAIRGATE_LOG_LEVEL", "loud"],
    ["DATABASE_URL", "mysql://localhost/db"],
    ["SMTP_URL", "http://mail.example.test"],
    ["SMTP_URL", "not a url"],
    ["PAIRGATE_MAIL_FROM", "nobody"],
    ["PAIRGATE_REQUIRE_EMAIL_VERIFICATION", "maybe"],
  ])("names %s when its value %s is bad", (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(SettingsError);
    expect(() => readSettings({ [name]: value })).toThrow(new RegExp(`^Invalid settings: ${name}:`));
  });

  it("sends mail to the outbox and requires email verification unless told otherwise", () => {
    expect(readSettings({})).toMatchObject({ smtpUrl: undefined, mailFrom: "PairGate <pairgate@localhost>", requireEmailVerification: true });
    for (const off of ["false", "0"]) expect(readSettings({ PAIRGATE_REQUIRE_EMAIL_VERIFICATION: off }).requireEmailVerification).toBe(false);
    for (const on of ["true", "1"]) expect(readSettings({ PAIRGATE_REQUIRE_EMAIL_VERIFICATION: on }).requireEmailVerification).toBe(true);
    expect(readSettings({ SMTP_URL: "smtps://user:secret@mail.example.test:465" }).smtpUrl).toBe("smtps://user:secret@mail.example.test:465");
  });

  it("never echoes a bad SMTP_URL, which may hold a password", () => {
    expect(() => readSettings({ SMTP_URL: "https://user:hunter2@mail.example.test" })).toThrow(/^Invalid settings: SMTP_URL: Must be an smtp:\/\/ or smtps:\/\/ URL$/);
  });
});

describe("Redis settings", () => {
  it("keeps everything in memory without REDIS_URL, under the default prefix otherwise", () => {
    expect(readSettings({})).toMatchObject({ redisUrl: undefined, redisPrefix: "pairgate" });
    expect(readSettings({ REDIS_URL: "rediss://:pw@redis.example.test:6380/2", PAIRGATE_REDIS_PREFIX: "hub-eu:1" })).toMatchObject({
      redisUrl: "rediss://:pw@redis.example.test:6380/2",
      redisPrefix: "hub-eu:1",
    });
  });

  it.each([
    ["REDIS_URL", "http://localhost:6379"],
    ["REDIS_URL", "localhost:6379"],
    ["PAIRGATE_REDIS_PREFIX", "with space"],
    ["PAIRGATE_REDIS_PREFIX", ""],
  ])("names %s when its value %j is bad", (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(new RegExp(`^Invalid settings: ${name}:`));
  });

  it("never echoes a bad REDIS_URL, which may hold a password", () => {
    expect(() => readSettings({ REDIS_URL: "https://:hunter2@redis.example.test" })).toThrow(/^Invalid settings: REDIS_URL: Must be a redis:\/\/ or rediss:\/\/ URL$/);
  });
});
