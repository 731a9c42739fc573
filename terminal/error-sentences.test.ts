import { describe, expect, it } from "vitest";
import { ERROR_CODE_NAMES, type ErrorCode } from "#protocol";
import { protocolErrorDescriber } from "./error-sentences.ts";

describe("protocol error sentences", () => {
  const shared = protocolErrorDescriber({});

  it("word every error code as a whole sentence of their own, not the hub's text", () => {
    for (const code of ERROR_CODE_NAMES.filter((name) => name !== "weak_password")) {
      const sentence = shared({ code, message: "hub text" });
      expect(sentence, code).toMatch(/^[A-Z].*[.]$/s);
      expect(sentence, code).not.toContain("hub text");
    }
  });

  it("let a program's own words win for the codes it overrides, and only those", () => {
    const wordFor = protocolErrorDescriber({ forbidden: () => "Not on this device." });
    expect(wordFor({ code: "forbidden", message: "" })).toBe("Not on this device.");
    expect(wordFor({ code: "not_found", message: "" })).toBe(shared({ code: "not_found", message: "" }));
  });

  it("fall back to the hub's message for a code newer than this program", () => {
    expect(shared({ code: "from_a_newer_hub" as ErrorCode, message: "Something new happened." })).toBe("The hub refused the request: Something new happened.");
  });
});
