import type { Ack, EventTable, ReplyOf } from "#protocol";

/**
 * The hub's reply to `event`, checked against the event's reply schema in its protocol table, or
 * undefined when it is not an ack this program can read (a hub of another version, or a bug).
 * A refusal passes with its code and message as strings: a hub newer than this program may use
 * an error code it does not know yet, and the sentence tables fall back to the hub's message.
 */
export function parseAck<T extends EventTable, E extends keyof T & string>(table: T, event: E, reply: unknown): Ack<ReplyOf<T, E>> | undefined {
  if (typeof reply !== "object" || reply === null || !("ok" in reply)) return undefined;
  if (reply.ok === false) {
    const error = (reply as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code !== "string" || typeof error.message !== "string") return undefined;
    return reply as Ack<ReplyOf<T, E>>;
  }
  if (reply.ok !== true) return undefined;
  const data = table[event]!.reply.safeParse((reply as { data?: unknown }).data);
  if (!data.success) return undefined;
  return { ok: true, data: data.data as ReplyOf<T, E> };
}
