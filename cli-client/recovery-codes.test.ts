import { describe, expect, it } from "vitest";
import { recoveryCodeLines } from "./recovery-codes.ts";

const CODES = Array.from({ length: 10 }, (_, index) => `AAAA${index}-BBBB${index}`);

describe("recovery codes as shown", () => {
  it("are all listed, numbered, two to a line", () => {
    const lines = recoveryCodeLines(CODES);
    expect(lines[0]).toBe("Your 10 recovery codes:");
    expect(lines).toContain("     1. AAAA0-BBBB0     2. AAAA1-BBBB1");
    expect(lines).toContain("     9. AAAA8-BBBB8    10. AAAA9-BBBB9");
    for (const code of CODES) expect(lines.join("\n")).toContain(code);
  });

  it("come with the warning to store them, since they are shown once", () => {
    const text = recoveryCodeLines(CODES).join("\n");
    expect(text).toContain("shown only this once");
    expect(text).toContain("pairgate login --recovery-code CODE");
    expect(text).toContain("no longer work");
  });
});
