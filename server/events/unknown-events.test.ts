import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.ts";
import { UnknownEventTally } from "./unknown-events.ts";

function tallyWithManualClock() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  let pending: (() => void) | undefined;
  const tally = new UnknownEventTally(createLogger("debug", sink), (task) => (pending = task));
  const endInterval = () => {
    const task = pending;
    pending = undefined;
    task?.();
  };
  return { tally, lines, endInterval };
}

describe("UnknownEventTally", () => {
  it("logs the first unknown event at once and the rest as one count when the interval ends", () => {
    const { tally, lines, endInterval } = tallyWithManualClock();
    for (let i = 0; i < 500; i += 1) tally.note({ socketId: "s1", event: "(unknown, 8)" });
    expect(lines).toHaveLength(1);
    endInterval();
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ refused: 499, msg: "499 unknown events refused" });
  });

  it("says nothing more when the first was the only one, and starts again afterwards", () => {
    const { tally, lines, endInterval } = tallyWithManualClock();
    tally.note({ socketId: "s1", event: "(unknown, 3)" });
    endInterval();
    expect(lines).toHaveLength(1);
    tally.note({ socketId: "s2", event: "(unknown, 3)" });
    expect(lines).toHaveLength(2);
  });
});
