import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSettings, SettingsError } from "./config.ts";

describe("readSettings", () => {
  it("needs no configuration at all", () => {
    const settings = readSettings({});
    expect(settings).toMatchObject({ host: "127.0.0.1", port: 8443, bcryptCost: 12, logLevel: "info" });
    expect(settings.dataDir).toBe(path.resolve("data"));
    expect(settings.databaseFile).toBe(path.resolve("data/pairgate.db"));
    expect(settings.certDir).toBe(path.resolve("certs"));
  });

  it("takes DATABASE_URL as a SQLite file URL", () => {
    expect(readSettings({ DATABASE_URL: "file:/tmp/x/hub.db" }).databaseFile).toBe("/tmp/x/hub.db");
  });

  it.each([
    ["PAIRGATE_PORT", "eighty"],
    ["PAIRGATE_PORT", "70000"],
    ["PAIRGATE_BCRYPT_COST", "3"],
    ["PAIRGATE_BCRYPT_COST", "31"],
    ["PAIRGATE_LOG_LEVEL", "loud"],
    ["DATABASE_URL", "mysql://localhost/db"],
  ])("names %s when its value %s is bad", (name, value) => {
    expect(() => readSettings({ [name]: value })).toThrow(SettingsError);
    expect(() => readSettings({ [name]: value })).toThrow(new RegExp(`^Invalid settings: ${name}:`));
  });
});
