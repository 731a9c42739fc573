/**
 * The child side of the benchmark's IPC: a child program answers named requests from the
 * orchestrator, announces its readiness, and never outlives the orchestrator.
 */
export type RequestHandlers = Record<string, (body: never) => unknown>;

export interface IpcRequest {
  id: number;
  type: string;
  body: unknown;
}

export type IpcReply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

export interface IpcAnnouncement {
  announce: string;
  body: unknown;
}

function send(message: IpcReply | IpcAnnouncement): void {
  if (!process.send) throw new TypeError("This program is a benchmark child: start it from scripts/bench/main.ts");
  process.send(message);
}

export function answerRequests(handlers: RequestHandlers): void {
  if (!process.send) throw new TypeError("This program is a benchmark child: start it from scripts/bench/main.ts");
  // The orchestrator died or closed the channel: stop at once rather than linger as an orphan.
  process.on("disconnect", () => process.exit(0));
  process.on("message", (message: IpcRequest) => {
    const handler = handlers[message.type] as ((body: unknown) => unknown) | undefined;
    if (!handler) return send({ id: message.id, ok: false, error: `unknown request ${message.type}` });
    Promise.resolve()
      .then(() => handler(message.body))
      .then(
        (result) => send({ id: message.id, ok: true, result: result ?? null }),
        (error: unknown) => send({ id: message.id, ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
  });
}

export function announce(name: string, body: unknown = null): void {
  send({ announce: name, body });
}

/** Heap and RSS after full garbage collections; the child must run with --expose-gc. */
export async function settledMemory(): Promise<NodeJS.MemoryUsage> {
  const gc = globalThis.gc;
  if (typeof gc !== "function") throw new TypeError("Start this child with --expose-gc");
  // Several rounds, with turns of the event loop between them, so that objects freed by
  // finalizers and weak callbacks of one round go in the next; then a pause, in which V8 and
  // the allocator hand freed pages back, so that RSS stops falling before it is read.
  for (let round = 0; round < 4; round += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  gc();
  return process.memoryUsage();
}

const SETTLE_MS = 500;
