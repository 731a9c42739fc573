import { describe, expect, it } from "vitest";
import { clientEvents, deviceEvents } from "#protocol";
import { parseAck } from "./acks.ts";

describe("parseAck", () => {
  it("passes a success whose data fits the event's reply schema, on either namespace", () => {
    expect(parseAck(clientEvents, "auth:logout", { ok: true, data: { loggedOut: true } })).toEqual({ ok: true, data: { loggedOut: true } });
    const list = { ok: true, data: { challenges: [] } };
    expect(parseAck(deviceEvents, "challenge:list", list)).toEqual(list);
  });

  it("passes a refusal with its code, message and extras, even a code this program does not know", () => {
    const refusal = { ok: false, error: { code: "rate_limited", message: "Too many", retryAfterSeconds: 3 } };
    expect(parseAck(clientEvents, "auth:logout", refusal)).toEqual(refusal);
    const newer = { ok: false, error: { code: "from_a_newer_hub", message: "Something new" } };
    expect(parseAck(deviceEvents, "challenge:list", newer)).toEqual(newer);
  });

  it("refuses anything else: no ok, an ok that is not a boolean, data that does not fit, a refusal without code or message", () => {
    const unreadable: unknown[] = [
      undefined,
      null,
      "ok",
      { data: {} },
      { ok: "true", data: { challenges: [] } },
      { ok: true, data: { challenges: "none" } },
      { ok: true },
      { ok: false },
      { ok: false, error: { code: 7, message: "x" } },
      { ok: false, error: { code: "internal_error" } },
    ];
    for (const reply of unreadable) expect(parseAck(deviceEvents, "challenge:list", reply), JSON.stringify(reply)).toBeUndefined();
  });
});
