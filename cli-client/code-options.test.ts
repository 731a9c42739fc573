import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { codeOption, normaliseCode } from "./code-options.ts";

describe("codes given on the command line", () => {
  it("are normalised as the hub reads them", () => {
    expect(codeOption("otp")(" 123456 ")).toBe("123456");
    expect(codeOption("emailCode")("004217")).toBe("004217");
    expect(codeOption("recoveryCode")("abcde fghjk")).toBe("ABCDE-FGHJK");
  });

  it("are refused as usage errors, naming the shape, when they do not fit", () => {
    expect(() => codeOption("otp")("12345")).toThrow(InvalidArgumentError);
    expect(() => codeOption("emailCode")("abcdef")).toThrow("the 6 digits from the email");
    expect(() => codeOption("recoveryCode")("ABCDE-FGHJ")).toThrow("XXXXX-XXXXX");
  });

  it("of one kind are not taken for another", () => {
    expect(normaliseCode("recoveryCode", "123456")).toBeUndefined();
    expect(normaliseCode("otp", "ABCDE-FGHJK")).toBeUndefined();
  });
});
