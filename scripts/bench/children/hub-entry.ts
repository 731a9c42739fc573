// A benchmark hub: the same startHub that `npm start` runs, with the settings from the
// environment, plus answers over IPC about its memory, sockets, threads and event loop.
// Run by scripts/bench only.
import { readSettings } from "../../../server/config.ts";
import { startHub } from "../../../server/hub.ts";
import { createLogger } from "../../../server/logger.ts";
import { DEFAULT_RATE_LIMITS } from "../../../server/rate-limits.ts";
import { announce, answerRequests, settledMemory } from "../harness/child-ipc.ts";
import { LoopWatch } from "../harness/loop-watch.ts";
import { readThreadTimes } from "../harness/thread-times.ts";

const settings = readSettings();
const log = createLogger(settings.logLevel);
// The challenge round trip approves hundreds of logins per account in minutes; the push limit
// (5 per 10 minutes, server/rate-limits.ts) would stop it at the sixth. Every other limit stays.
const rateLimits = { ...DEFAULT_RATE_LIMITS, loginPushesPerAccount: { points: 1_000_000, durationSeconds: 60 } };
const hub = await startHub({ settings, log, rateLimits });

async function stop(): Promise<never> {
  await hub.close();
  process.exit(0);
}
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());

const loopWatch = new LoopWatch();

answerRequests({
  memory: () => settledMemory(),
  threadTimes: () => readThreadTimes() ?? null,
  /** The event loop's lateness since the last call. */
  loopDelay: () => loopWatch.read(),
  /** Handles and requests keeping the event loop alive (sockets, timers, files): a leak shows as growth. */
  handles: () => process.getActiveResourcesInfo().length,
  sockets: () => ({ client: hub.io.of("/client").sockets.size, device: hub.io.of("/device").sockets.size, engine: hub.io.engine.clientsCount }),
});
announce("ready", { url: hub.url });
