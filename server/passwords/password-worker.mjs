// Entry point of the password worker threads. Workers start without the parent's TypeScript
// loader (Node 20 does not carry module hooks into workers), so this plain module loads the
// TypeScript tasks through tsx's API.
import { tsImport } from "tsx/esm/api";

const tasks = await tsImport("./password-tasks.ts", import.meta.url);

export const hash = tasks.hash;
export const verify = tasks.verify;
export const judge = tasks.judge;
