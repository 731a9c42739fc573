import { describe, expect, it } from "vitest";
import { bindingCodeSchema } from "#protocol";
import { formatBindingCodeInput, isCompleteBindingCode } from "./binding-code-format.ts";

describe("binding code formatting while typing", () => {
  it("upper-cases and adds the dash once the second group starts", () => {
    expect(formatBindingCodeInput("abcd")).toBe("ABCD");
    expect(formatBindingCodeInput("abcde")).toBe("ABCD-E");
    expect(formatBindingCodeInput("abcdefgh")).toBe("ABCD-EFGH");
  });

  it("reads I and L as 1 and O as 0, as Crockford base32 does", () => {
    expect(formatBindingCodeInput("iloo-ILOO")).toBe("1100-1100");
  });

  it("drops characters outside the Crockford alphabet, spaces and extra dashes", () => {
    expect(formatBindingCodeInput("u*a b--c?d")).toBe("ABCD");
  });

  it("stops at eight characters", () => {
    expect(formatBindingCodeInput("ABCD-EFGH-JK")).toBe("ABCD-EFGH");
  });

  it("lets Backspace remove the last character of the first group", () => {
    expect(formatBindingCodeInput("ABCD-")).toBe("ABCD");
    expect(formatBindingCodeInput("ABC")).toBe("ABC");
  });

  it("produces only codes the protocol's own schema accepts unchanged", () => {
    const formatted = formatBindingCodeInput("7k3q m9zx");
    expect(isCompleteBindingCode(formatted)).toBe(true);
    expect(bindingCodeSchema.parse(formatted)).toBe(formatted);
    expect(isCompleteBindingCode("7K3Q-M9Z")).toBe(false);
  });
});
