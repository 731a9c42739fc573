import { describe, expect, it } from "vitest";
import type { CliFailure } from "../terminal/cli-failure.ts";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { type ChatPrinter, formatIncoming, quoteLine, sendLines } from "./chat-relay.ts";

/** Answers `message:send` as the hub would: `offline` is never connected. */
function fakeHub(): { connection: ClientConnection; sent: { to: string; text: string }[] } {
  const sent: { to: string; text: string }[] = [];
  const connection = {
    call: async (_event: string, payload: { to: string; text: string }) => {
      if (payload.to === "offline") return { ok: false, error: { code: "recipient_offline", message: "hub words" } };
      sent.push(payload);
      return { ok: true, data: { messageId: `m${sent.length}`, delivered: true } };
    },
  } as unknown as ClientConnection;
  return { connection, sent };
}

function recordingPrinter() {
  const events: string[] = [];
  const printer: ChatPrinter = {
    received: (message) => events.push(`received ${message.text}`),
    sent: (text, reply) => events.push(`sent ${text} as ${reply.messageId}`),
    refused: (text, failure: CliFailure) => events.push(`refused ${text}: ${failure.code}`),
    settled: () => events.push("settled"),
  };
  return { printer, events };
}

async function* linesOf(...lines: string[]): AsyncIterable<string> {
  yield* lines;
}

describe("a chat's lines", () => {
  it("are each sent as one message, in order, trimmed, skipping empty lines", async () => {
    const { connection, sent } = fakeHub();
    const { printer, events } = recordingPrinter();
    const refusals = await sendLines(connection, "bob", linesOf("  hello ", "", "how are you?"), printer);
    expect(refusals).toBe(0);
    expect(sent).toEqual([
      { to: "bob", text: "hello" },
      { to: "bob", text: "how are you?" },
    ]);
    expect(events).toEqual(["sent hello as m1", "settled", "settled", "sent how are you? as m2", "settled"]);
  });

  it("that the hub refuses are reported one by one, and the chat goes on", async () => {
    const { connection } = fakeHub();
    const { printer, events } = recordingPrinter();
    const refusals = await sendLines(connection, "offline", linesOf("one", "two"), printer);
    expect(refusals).toBe(2);
    expect(events.filter((event) => event.startsWith("refused"))).toEqual(["refused one: recipient_offline", "refused two: recipient_offline"]);
  });

  it("longer than a message may be are refused here, without asking the hub", async () => {
    const { connection, sent } = fakeHub();
    const { printer, events } = recordingPrinter();
    expect(await sendLines(connection, "bob", linesOf("x".repeat(2001)), printer)).toBe(1);
    expect(sent).toEqual([]);
    expect(events[0]).toMatch(/: invalid_input$/);
  });
});

describe("chat text as printed", () => {
  it("puts the time and the sender first, and indents the further lines of a message", () => {
    const message = { messageId: "m1", from: "bob", text: "hi\nthere", sentAt: "2026-11-21T14:03:59.000Z" };
    expect(formatIncoming(message)).toBe("[14:03] bob: hi\n    there");
  });

  it("quotes a refused line, shortened", () => {
    expect(quoteLine("short")).toBe('"short"');
    expect(quoteLine("a".repeat(50), 10)).toBe('"aaaaaaaaa…"');
  });
});
