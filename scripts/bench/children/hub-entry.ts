// A benchmark hub: the same startHub that `npm start` runs, with the settings from the
// environment, plus answers over IPC about its memory, sockets, threads and event loop.
// Run by scripts/bench only.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { readSettings } from "../../../server/config.ts";
import { startHub } from "../../../server/hub.ts";
import { createLogger } from "../../../server/logger.ts";
import { announce, answerRequests, settledMemory } from "../harness/child-ipc.ts";
import { readThreadTimes } from "../harness/thread-times.ts";

const settings = readSettings();
const log = createLogger(settings.logLevel);
const hub = await startHub({ settings, log });

async function stop(): Promise<never> {
  await hub.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());

// A timer every 10 ms, and how late each one fired: what a blocked or starved event loop costs
// every event. The histogram records whole intervals, so the interval itself is taken off.
const LOOP_SAMPLE_MS = 10;
const loopDelay = monitorEventLoopDelay({ resolution: LOOP_SAMPLE_MS });
loopDelay.enable();
const lateness = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_SAMPLE_MS);

answerRequests({
  memory: () => settledMemory(),
  threadTimes: () => readThreadTimes() ?? null,
  /** The event loop's lateness since the last call, in milliseconds. */
  loopDelay() {
    const figures = { p50Ms: lateness(loopDelay.percentile(50)), p99Ms: lateness(loopDelay.percentile(99)), maxMs: lateness(loopDelay.max) };
    loopDelay.reset();
    return figures;
  },
  sockets: () => ({ client: hub.io.of("/client").sockets.size, device: hub.io.of("/device").sockets.size, engine: hub.io.engine.clientsCount }),
});
announce("ready", { url: hub.url });
