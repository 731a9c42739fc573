import type { z } from "zod";

/**
 * One event, declared once: namespace, who may send it, its payload schema and its reply (the
 * `data` of a successful ack). The hub, the clients and docs/PROTOCOL.md are checked against it.
 */
export interface EventDefinition {
  namespace: "/client" | "/device";
  /** anonymous: anyone; session: a logged-in `/client` socket (admin: with role admin); device: a paired `/device` socket. */
  access: "anonymous" | "session" | "admin" | "device";
  summary: string;
  payload: z.ZodType;
  reply: z.ZodType;
}

export type EventTable = Record<string, EventDefinition>;
/** What a handler receives, after the schema's defaults and transforms. */
export type PayloadOf<T extends EventTable, E extends keyof T> = z.output<T[E]["payload"]>;
/** What a sender writes. */
export type InputOf<T extends EventTable, E extends keyof T> = z.input<T[E]["payload"]>;
export type ReplyOf<T extends EventTable, E extends keyof T> = z.output<T[E]["reply"]>;

/** The table's event names, and a guard for a name that arrived off the wire. */
export function eventNames<T extends EventTable>(table: T): { names: (keyof T & string)[]; has(name: string): name is keyof T & string } {
  return {
    names: Object.keys(table) as (keyof T & string)[],
    has: (name: string): name is keyof T & string => Object.hasOwn(table, name),
  };
}
