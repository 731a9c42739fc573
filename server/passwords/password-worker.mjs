// Entry point of the password worker threads when the hub runs from its TypeScript sources.
// Workers start without the parent's TypeScript loader (Node 20 does not carry module hooks into
// workers), so this plain module loads the thread's code through tsx's API. The compiled hub
// loads dist/password-worker.js instead (see password-pool.ts).
import { tsImport } from "tsx/esm/api";

const thread = await tsImport("./password-thread.ts", import.meta.url);

export const hash = thread.hash;
export const verify = thread.verify;
export const judge = thread.judge;
