import { WAITING_MESSAGE_TTL_SECONDS, type PushPayload } from "#protocol";
import type { HubContext } from "../context.ts";

export type ChatMessage = PushPayload<"message:new">;

/** Keeps a message for a recipient with no client listening; it waits until `expiresAt`. */
export async function keepWaitingMessage(ctx: HubContext, recipientId: string, message: ChatMessage): Promise<Date> {
  const sentAt = new Date(message.sentAt);
  const expiresAt = new Date(sentAt.getTime() + WAITING_MESSAGE_TTL_SECONDS * 1000);
  await ctx.db.waitingMessage.create({
    data: { messageId: message.messageId, recipientId, sender: message.from, text: message.text, sentAt, expiresAt },
  });
  return expiresAt;
}

export function countWaitingMessages(ctx: HubContext, recipientId: string, now = ctx.clock.now()): Promise<number> {
  return ctx.db.waitingMessage.count({ where: { recipientId, expiresAt: { gt: now } } });
}

/**
 * Takes the recipient's unexpired waiting messages, oldest first, deleting each as it is taken.
 * A message is handed to whoever deletes it, so two clients starting to listen at the same time,
 * or a sender finding the recipient listening after all, never hand the same message over twice.
 */
export async function takeWaitingMessages(ctx: HubContext, recipientId: string, messageId?: string, now = ctx.clock.now()): Promise<ChatMessage[]> {
  const rows = await ctx.db.waitingMessage.findMany({
    where: { recipientId, expiresAt: { gt: now }, ...(messageId ? { messageId } : {}) },
    orderBy: { seq: "asc" },
  });
  const taken: ChatMessage[] = [];
  for (const row of rows) {
    const { count } = await ctx.db.waitingMessage.deleteMany({ where: { seq: row.seq } });
    if (count === 1) taken.push({ messageId: row.messageId, from: row.sender, text: row.text, sentAt: row.sentAt.toISOString() });
  }
  return taken;
}

/** Unread messages past their lifetime; the housekeeping sweep calls it. */
export async function deleteExpiredWaitingMessages(ctx: HubContext, now: Date): Promise<number> {
  const { count } = await ctx.db.waitingMessage.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
