import { refuseNewChildren, stopAllChildren } from "./bench-child.ts";

/**
 * Everything a run must undo, whatever way it ends: child processes, temporary folders and
 * databases, Redis keys. Steps run last-added first; a failing step does not stop the others.
 */
export class Cleanup {
  private readonly steps: { what: string; step: () => unknown }[] = [];
  private running: Promise<void> | undefined;

  /** Once the cleanup has begun, a step added late runs at once, and the caller is stopped. */
  add(what: string, step: () => unknown): void {
    if (this.running) {
      void Promise.resolve().then(step).catch(() => {});
      throw new Error(`the run is stopping (could not keep: ${what})`);
    }
    this.steps.push({ what, step });
  }

  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    refuseNewChildren();
    await stopAllChildren();
    for (const { what, step } of this.steps.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error(`bench: cleanup failed to ${what}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}

/** On Ctrl-C, SIGTERM or the deadline: clean up, then exit non-zero. */
export function stopOnSignalsAndDeadline(cleanup: Cleanup, deadlineMs: number): () => void {
  const stop = (reason: string, code: number) => {
    console.error(`\nbench: ${reason}; stopping every process it started and removing its temporary data.`);
    void cleanup.run().finally(() => process.exit(code));
  };
  const onSigint = () => stop("interrupted", 130);
  const onSigterm = () => stop("terminated", 143);
  process.once("SIGINT", onSigint);
  process.once("SIGTERM", onSigterm);
  const deadline = setTimeout(() => stop(`still running after ${Math.round(deadlineMs / 60_000)} minutes`, 1), deadlineMs);
  deadline.unref();
  return () => {
    clearTimeout(deadline);
    process.off("SIGINT", onSigint);
    process.off("SIGTERM", onSigterm);
  };
}
