export * from "./ack.ts";
export * from "./constants.ts";
export * from "./device-events.ts";
export * from "./errors.ts";
export * from "./events.ts";
export * from "./fields.ts";
export * from "./notices.ts";
export type * from "./socket-types.ts";
