import { describe, expect, it } from "vitest";
import { bigNumber } from "./big-number.ts";

describe("the number drawn large", () => {
  it("draws each digit five lines tall, side by side", () => {
    expect(bigNumber("47", "")).toEqual([
      "#   #   #####",
      "#   #       #",
      "#####      # ",
      "    #     #  ",
      "    #     #  ",
    ]);
  });

  it("refuses anything but digits", () => {
    expect(() => bigNumber("4x")).toThrow(TypeError);
  });
});
