import { describe, expect, it } from "vitest";
import { CONNECT_TIMEOUT_MAX_MS, connectTimeoutMs, RECONNECT_MAX_DELAY_MS, reconnectDelayMs } from "./reconnect-backoff.ts";

describe("reconnection delays", () => {
  it("double from one second while the hub stays away", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4].map((attempt) => reconnectDelayMs(attempt, middle))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it("never exceed thirty seconds, whatever the jitter", () => {
    expect(reconnectDelayMs(10, () => 0.5)).toBe(RECONNECT_MAX_DELAY_MS);
    expect(reconnectDelayMs(50, () => 0.999)).toBe(RECONNECT_MAX_DELAY_MS);
  });

  it("spread by at most a fifth either way", () => {
    expect(reconnectDelayMs(2, () => 0)).toBe(3_200);
    expect(reconnectDelayMs(2, () => 1)).toBe(4_800);
  });
});

describe("connect timeouts", () => {
  it("double after each attempt that gave up waiting, up to a minute", () => {
    expect([0, 1, 2, 3, 8].map(connectTimeoutMs)).toEqual([10_000, 20_000, 40_000, CONNECT_TIMEOUT_MAX_MS, CONNECT_TIMEOUT_MAX_MS]);
  });
});
