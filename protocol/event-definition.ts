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
