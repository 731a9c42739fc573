import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time and run-queue wait of this process's threads, in milliseconds, from Linux's
 * /proc/self/task/<tid>/schedstat (on-CPU ns, waiting-for-a-CPU ns, slices). The main thread
 * (the event loop) has the process id as its thread id. Undefined where /proc has no schedstat.
 */
export interface ThreadTimes {
  mainCpuMs: number;
  /** How long the event loop was ready to run but waited for a CPU. */
  mainWaitMs: number;
  /** Every other thread: worker threads (the hash pool), libuv's pool, V8's helpers. */
  otherCpuMs: number;
}

export function readThreadTimes(): ThreadTimes | undefined {
  try {
    const times: ThreadTimes = { mainCpuMs: 0, mainWaitMs: 0, otherCpuMs: 0 };
    for (const tid of readdirSync("/proc/self/task")) {
      const [onCpuNs = 0, waitNs = 0] = readFileSync(`/proc/self/task/${tid}/schedstat`, "utf8").trim().split(/\s+/).map(Number);
      if (tid === String(process.pid)) {
        times.mainCpuMs = onCpuNs / 1e6;
        times.mainWaitMs = waitNs / 1e6;
      } else {
        times.otherCpuMs += onCpuNs / 1e6;
      }
    }
    return times;
  } catch {
    return undefined;
  }
}

/** What a process's threads did between two readings, as shares of one CPU (1 = a whole core). */
export interface ThreadLoad {
  mainCpu: number;
  mainWait: number;
  otherCpu: number;
}

export function threadLoadBetween(before: ThreadTimes | undefined, after: ThreadTimes | undefined, elapsedMs: number): ThreadLoad | undefined {
  if (!before || !after || elapsedMs <= 0) return undefined;
  return {
    mainCpu: (after.mainCpuMs - before.mainCpuMs) / elapsedMs,
    mainWait: (after.mainWaitMs - before.mainWaitMs) / elapsedMs,
    otherCpu: (after.otherCpuMs - before.otherCpuMs) / elapsedMs,
  };
}

/** Several processes' thread loads added up (the hubs of a Redis pair); undefined where /proc cannot tell. */
export function loadOfProcesses(before: readonly (ThreadTimes | null)[], after: readonly (ThreadTimes | null)[], elapsedMs: number): ThreadLoad | undefined {
  const loads = before.map((times, index) => threadLoadBetween(times ?? undefined, after[index] ?? undefined, elapsedMs));
  if (loads.some((load) => load === undefined)) return undefined;
  return (loads as ThreadLoad[]).reduce((sum, load) => ({ mainCpu: sum.mainCpu + load.mainCpu, mainWait: sum.mainWait + load.mainWait, otherCpu: sum.otherCpu + load.otherCpu }));
}
