import type { Socket } from "socket.io-client";
import { sleep } from "./stats.ts";
import { callAck } from "./sockets.ts";

export interface ProbeOptions {
  event: string;
  payload: object;
  ratePerSecond: number;
  durationMs: number;
}

/**
 * Open-loop latency probe: sends `event` at a fixed rate, spread over the sockets in turn,
 * whether or not earlier ones were answered, so that a slow hub shows as latency instead of
 * quietly lowering the rate. Returns each round trip in milliseconds.
 */
export async function probeLatency(sockets: readonly Socket[], options: ProbeOptions): Promise<number[]> {
  const intervalMs = 1000 / options.ratePerSecond;
  const total = Math.round((options.durationMs / 1000) * options.ratePerSecond);
  const samples: number[] = [];
  const failures: string[] = [];
  const calls: Promise<void>[] = [];
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    // Scheduled against the start, so that timer lateness does not drift the rate down.
    const due = started + index * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const socket = sockets[index % sockets.length]!;
    const sentAt = performance.now();
    calls.push(
      callAck<unknown>(socket, options.event, options.payload).then((ack) => {
        samples.push(performance.now() - sentAt);
        if (!ack.ok) failures.push(ack.error.code);
      }),
    );
  }
  await Promise.all(calls);
  if (failures.length > 0) throw new Error(`${failures.length} of ${total} ${options.event} probes failed (first: ${failures[0]})`);
  return samples;
}
