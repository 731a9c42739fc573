import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SettingsError } from "./config.ts";
import { loadSettings, readSettingsFile } from "./settings-file.ts";

const folder = mkdtempSync(path.join(os.tmpdir(), "pairgate-settings-file-"));
const file = (name: string, text: string) => {
  const where = path.join(folder, name);
  writeFileSync(where, text);
  return where;
};

describe("the hub's settings file", () => {
  it("reads NAME = value lines: numbers, booleans, quoted strings with escapes, comments", () => {
    const lines = file("hub.toml", `# hub\nPAIRGATE_PORT = 9443 # inline\n\nPAIRGATE_MAIL_FROM = "PairGate \\"hub\\" <hub@example.com>"\nPAIRGATE_REQUIRE_EMAIL_VERIFICATION = false\n`);
    expect(readSettingsFile(lines)).toEqual({ PAIRGATE_PORT: "9443", PAIRGATE_MAIL_FROM: 'PairGate "hub" <hub@example.com>', PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false" });
  });

  it("reads a JSON object", () => {
    expect(readSettingsFile(file("hub.json", `{ "PAIRGATE_PORT": 9443, "PAIRGATE_LOG_LEVEL": "warn" }`))).toEqual({ PAIRGATE_PORT: "9443", PAIRGATE_LOG_LEVEL: "warn" });
  });

  it("lets the environment override the file, and the file the defaults", () => {
    const where = file("both.toml", `PAIRGATE_PORT = 9443\nPAIRGATE_BCRYPT_COST = 11\n`);
    expect(loadSettings({ PAIRGATE_CONFIG: where, PAIRGATE_PORT: "7443" })).toMatchObject({ port: 7443, bcryptCost: 11, host: "127.0.0.1" });
    expect(loadSettings({}, where)).toMatchObject({ port: 9443 });
  });

  it.each([
    ["unknown.toml", "PAIRGATE_PROT = 1\n", /unknown\.toml, line 1: PAIRGATE_PROT is not a setting/],
    ["key.toml", `PAIRGATE_SECRET_KEY = "abc"\n`, /PAIRGATE_SECRET_KEY may only be set in the environment/],
    ["section.toml", "[hub]\n", /line 1: expected NAME = value/],
    ["quote.toml", `PAIRGATE_HOST = "127.0.0.1\n`, /line 1: the quoted value has no closing quote/],
    ["array.json", "[1]", /must hold one JSON object/],
    ["broken.json", "{ PAIRGATE_PORT: 1 }", /is not valid JSON/],
  ])("refuses %s in one sentence naming the file", (name, text, message) => {
    expect(() => readSettingsFile(file(name, text))).toThrow(SettingsError);
    expect(() => readSettingsFile(file(name, text))).toThrow(message);
  });

  it("names a missing file", () => {
    expect(() => loadSettings({ PAIRGATE_CONFIG: path.join(folder, "nowhere.toml") })).toThrow(/Cannot read the settings file .*nowhere\.toml: there is no such file\./);
  });

  it("names a bad value from the file like one from the environment", () => {
    expect(() => loadSettings({}, file("bad.toml", "PAIRGATE_PORT = eighty\n"))).toThrow(/^Invalid settings: PAIRGATE_PORT: .* \(from the environment or .*bad\.toml\)$/);
  });
});
