import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { systemClock } from "../clock.ts";
import { createLogger } from "../logger.ts";
import { DependencyHealth, PROBE_TIMEOUT_MS } from "./dependency-health.ts";

function recordingLog() {
  const lines: { level: number; msg: string; dependency?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString("utf8")));
      done();
    },
  });
  return { log: createLogger("info", sink), lines };
}

describe("DependencyHealth", () => {
  it("logs an outage once however often it is seen, and the recovery once", () => {
    const { log, lines } = recordingLog();
    const health = new DependencyHealth(log, systemClock);
    health.record("redis", true);
    for (let i = 0; i < 5; i++) health.record("redis", false, new Error("connect ECONNREFUSED 127.0.0.1:6390"));
    health.record("redis", true);
    health.record("redis", true);
    expect(lines.map((line) => line.msg)).toEqual([
      'Redis is unreachable: requests that need it answer "unavailable" until it is back',
      "Redis is reachable again",
    ]);
  });

  it("does not call the first success at start-up a recovery", () => {
    const { log, lines } = recordingLog();
    const health = new DependencyHealth(log, systemClock);
    health.record("database", true);
    expect(lines).toEqual([]);
  });

  it("tells recovery listeners when a dependency comes back", () => {
    const health = new DependencyHealth(recordingLog().log, systemClock);
    const recovered: string[] = [];
    health.onRecovery((name) => recovered.push(name));
    health.record("redis", false);
    health.record("redis", true);
    expect(recovered).toEqual(["redis"]);
  });

  it("reports each probed dependency, counting a probe that hangs as unreachable", async () => {
    const health = new DependencyHealth(recordingLog().log, systemClock);
    health.add("database", async () => 1);
    health.add("redis", () => new Promise(() => {}));
    const started = Date.now();
    expect(await health.check()).toEqual({ database: { reachable: true }, redis: { reachable: false } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(PROBE_TIMEOUT_MS - 50);
  });
});
