import { randomUUID } from "node:crypto";
import { failure, success, type Ack, type EventPayload, type EventReply } from "#protocol";
import type { HubContext } from "../context.ts";
import { consumePoint } from "../rate-limits.ts";
import type { ActiveSession } from "../sessions/sessions.ts";

/** Whether the user has a client connected right now. The transport knows; the domain only asks. */
export type Presence = (userId: string) => Promise<boolean>;

// Control characters could redraw the recipient's terminal; newlines and tabs are text.
const CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS = /[^\P{Cc}\n\t]/u;

/**
 * Relays a text to every connected client of the recipient, live. Messages are not stored: with
 * no client connected the sender is told `recipient_offline` and nothing is kept. Sending to
 * oneself is allowed (it reaches one's other machines). Every attempt, answered or not, takes a
 * point, so the limit also bounds probing who exists and who is online.
 */
export async function sendMessage(
  ctx: HubContext,
  sender: ActiveSession,
  input: EventPayload<"message:send">,
  isOnline: Presence,
): Promise<Ack<EventReply<"message:send">>> {
  const limited = await consumePoint(ctx.limits.messagesPerUser, sender.userId);
  if (limited) return limited;
  if (CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS.test(input.text)) {
    return failure("invalid_request", "The text may not hold control characters (newlines and tabs are fine).", {
      details: [{ path: "text", message: "Use printable characters, newlines and tabs only" }],
    });
  }
  const recipient = await ctx.db.user.findUnique({ where: { username: input.to }, select: { id: true } });
  if (!recipient) return failure("user_not_found", `There is no user "${input.to}".`);
  if (!(await isOnline(recipient.id))) {
    return failure("recipient_offline", `${input.to} has no client connected; messages are not kept, so send it again later.`);
  }
  const message = { messageId: randomUUID(), from: sender.username, text: input.text, sentAt: ctx.clock.now().toISOString() };
  ctx.events.emit("message-sent", { toUserId: recipient.id, message });
  return success({ messageId: message.messageId, delivered: true as const });
}
