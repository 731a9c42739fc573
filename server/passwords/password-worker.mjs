// Entry point of the password worker threads when the hub runs from its TypeScript sources.
// Workers start without the parent's TypeScript loader (Node 20 does not carry module hooks into
// workers), so this plain module loads the thread's code through tsx's API. The compiled hub
// loads dist/password-worker.js instead (see password-pool.ts).
//
// No top-level await: piscina first require()s this file and falls back to import() when that
// throws. With a top-level await, require() throws, and when two tasks reach a fresh thread at
// once the second require() meets the module the first one's import() is still loading, which
// Node 20 answers with a fatal V8 error that aborts the whole process. Without it, the first
// require() finishes on its own and the second finds it loaded.
import { tsImport } from "tsx/esm/api";

// Loaded as the thread starts, as the compiled worker is; each task waits for it.
const thread = tsImport("./password-thread.ts", import.meta.url);
// A failed load reaches every task that waits for it; this only keeps it from counting as unhandled before the first.
thread.catch(() => {});

export const hash = async (task) => (await thread).hash(task);
export const verify = async (task) => (await thread).verify(task);
export const judge = async (task) => (await thread).judge(task);
