import { describe, expect, it } from "vitest";
import { generateHotp } from "#otp";
import { checkHotp, HOTP_LOOK_AHEAD, HOTP_RESYNC_LIMIT, type HotpState } from "./hotp.ts";

// RFC 4226 Appendix D (the codes themselves are checked in otp/hotp.test.ts).
const RFC_SECRET = new TextEncoder().encode("12345678901234567890");
const RFC_CODES = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

const state = (counter: number, resyncCounter: number | null = null): HotpState => ({ counter, resyncCounter });
const codeAt = (counter: number) => generateHotp(RFC_SECRET, counter);

/** A six-digit code that matches no counter from `from` to `to`. */
function codeMatchingNothing(from: number, to: number): string {
  const taken = new Set(Array.from({ length: to - from + 1 }, (_, index) => codeAt(from + index)));
  for (let guess = 0; ; guess++) {
    const code = String(guess).padStart(6, "0");
    if (!taken.has(code)) return code;
  }
}

describe("checkHotp", () => {
  it("accepts the code at the counter and moves the counter past it", () => {
    expect(checkHotp(RFC_SECRET, state(0), "755224")).toEqual({ outcome: "accepted", matchedCounter: 0, nextCounter: 1 });
  });

  it("accepts a code up to counter + 9, the end of the look-ahead window", () => {
    expect(HOTP_LOOK_AHEAD).toBe(10);
    expect(checkHotp(RFC_SECRET, state(20), codeAt(29))).toEqual({ outcome: "accepted", matchedCounter: 29, nextCounter: 30 });
    expect(checkHotp(RFC_SECRET, state(0), RFC_CODES[9]!)).toEqual({ outcome: "accepted", matchedCounter: 9, nextCounter: 10 });
  });

  it("does not accept a code at counter + 10, but marks it for resynchronisation", () => {
    expect(checkHotp(RFC_SECRET, state(20), codeAt(30))).toEqual({ outcome: "resync_pending", resyncCounter: 30 });
  });

  it("marks codes up to counter + 100 for resynchronisation, and rejects codes further ahead", () => {
    expect(HOTP_RESYNC_LIMIT).toBe(100);
    expect(checkHotp(RFC_SECRET, state(5), codeAt(105))).toEqual({ outcome: "resync_pending", resyncCounter: 105 });
    expect(checkHotp(RFC_SECRET, state(5), codeAt(106))).toEqual({ outcome: "rejected" });
  });

  it("never accepts a used code again", () => {
    const first = checkHotp(RFC_SECRET, state(3), codeAt(3));
    expect(first).toEqual({ outcome: "accepted", matchedCounter: 3, nextCounter: 4 });
    expect(checkHotp(RFC_SECRET, state(4), codeAt(3))).toEqual({ outcome: "rejected" });
  });

  it("rejects codes older than the counter, even just skipped ones", () => {
    const afterSkipping = checkHotp(RFC_SECRET, state(10), codeAt(15));
    expect(afterSkipping).toEqual({ outcome: "accepted", matchedCounter: 15, nextCounter: 16 });
    for (const older of [0, 9, 10, 12, 14, 15]) expect(checkHotp(RFC_SECRET, state(16), codeAt(older)), `counter ${older}`).toEqual({ outcome: "rejected" });
  });

  it("resynchronises when the code right after the pending one comes next", () => {
    const pending = checkHotp(RFC_SECRET, state(5), codeAt(40));
    expect(pending).toEqual({ outcome: "resync_pending", resyncCounter: 40 });
    expect(checkHotp(RFC_SECRET, state(5, 40), codeAt(41))).toEqual({ outcome: "accepted", matchedCounter: 41, nextCounter: 42 });
  });

  it("resynchronises from the furthest pending point, counter + 100", () => {
    expect(checkHotp(RFC_SECRET, state(5, 105), codeAt(106))).toEqual({ outcome: "accepted", matchedCounter: 106, nextCounter: 107 });
  });

  it("does not resynchronise on a repeat of the pending code, or on the one after next", () => {
    expect(checkHotp(RFC_SECRET, state(5, 40), codeAt(40))).toEqual({ outcome: "resync_pending", resyncCounter: 40 });
    expect(checkHotp(RFC_SECRET, state(5, 40), codeAt(42))).toEqual({ outcome: "resync_pending", resyncCounter: 42 });
  });

  it("ignores a stale resynchronisation point below the counter", () => {
    expect(checkHotp(RFC_SECRET, state(20, 5), codeAt(6))).toEqual({ outcome: "rejected" });
  });

  it("still accepts codes in the window while a resynchronisation is pending", () => {
    expect(checkHotp(RFC_SECRET, state(5, 40), codeAt(7))).toEqual({ outcome: "accepted", matchedCounter: 7, nextCounter: 8 });
  });

  it("rejects a well-formed code that matches no counter in reach", () => {
    expect(checkHotp(RFC_SECRET, state(0, 50), codeMatchingNothing(0, 101))).toEqual({ outcome: "rejected" });
  });

  it("rejects a code made with another secret", () => {
    const foreign = generateHotp(new TextEncoder().encode("another-secret-of-20"), 0);
    expect(checkHotp(RFC_SECRET, state(0), foreign)).toEqual({ outcome: "rejected" });
  });

  it("rejects malformed input without throwing", () => {
    const garbage: unknown[] = ["", "75522", "7552240", "75522a", " 755224", "755224\n", "７５５２２４", "-75522", "755 224", null, undefined, 755224, {}, ["755224"]];
    for (const code of garbage) expect(checkHotp(RFC_SECRET, state(0), code as string), JSON.stringify(code)).toEqual({ outcome: "rejected" });
  });

  it("throws a TypeError on misuse: a negative or fractional counter, or a short secret", () => {
    expect(() => checkHotp(RFC_SECRET, state(-1), "755224")).toThrow(TypeError);
    expect(() => checkHotp(RFC_SECRET, state(0.5), "755224")).toThrow(TypeError);
    expect(() => checkHotp(RFC_SECRET, state(0, -2), "755224")).toThrow(TypeError);
    expect(() => checkHotp(new Uint8Array(8), state(0), "755224")).toThrow(TypeError);
  });
});
