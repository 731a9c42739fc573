import { randomUUID } from "node:crypto";
import { failure, success, WAITING_MESSAGES_PER_RECIPIENT_MAX, type Ack, type EventPayload, type EventReply } from "#protocol";
import type { HubContext } from "../context.ts";
import { consumePoint } from "../rate-limits.ts";
import type { ActiveSession } from "../sessions/sessions.ts";
import { countWaitingMessages, keepWaitingMessage, takeWaitingMessages, type ChatMessage } from "./waiting-messages.ts";

/** Whether the user has a client listening for messages right now. The transport knows; the domain only asks. */
/** Whether a user has a client listening for messages; the transport that holds the sockets answers. */
export type ListeningCheck = (userId: string) => Promise<boolean>;

// Control characters could redraw the recipient's terminal; newlines and tabs are text.
const CONTROL_CHARACTERS_EXCEPT_LINE_BREAKS = /[^\P{Cc}\n\t]/u;

/**
 * Relays a text live to every client of the recipient that listens for messages; with none
 * listening, the message waits for one (bounded per recipient, expiring). Sending to oneself is
 * allowed (it reaches one's other machines). Every attempt, answered or not, takes a point, so
 * the limit also bounds probing who exists.
 */
export async function sendMessage(
  ctx: HubContext,
  sender: ActiveSession,
  input: EventPayload<"message:send">,
  isListening: ListeningCheck,
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
  const message: ChatMessage = { messageId: randomUUID(), from: sender.username, text: input.text, sentAt: ctx.clock.now().toISOString() };
  if (await isListening(recipient.id)) {
    ctx.events.emit("message-sent", { toUserId: recipient.id, message });
    return success({ messageId: message.messageId, delivered: true });
  }
  if ((await countWaitingMessages(ctx, recipient.id)) >= WAITING_MESSAGES_PER_RECIPIENT_MAX) {
    return failure("recipient_offline", `${input.to} is not connected and already has ${WAITING_MESSAGES_PER_RECIPIENT_MAX} messages waiting; send it again later.`);
  }
  const waitsUntil = await keepWaitingMessage(ctx, recipient.id, message);
  // The recipient may have started listening while the message was being stored, and taken the
  // waiting ones just before this one: then it goes out live, once, to whoever takes it.
  if (await isListening(recipient.id)) {
    const [late] = await takeWaitingMessages(ctx, recipient.id, message.messageId);
    if (late) {
      ctx.events.emit("message-sent", { toUserId: recipient.id, message: late });
      return success({ messageId: message.messageId, delivered: true });
    }
  }
  return success({ messageId: message.messageId, delivered: false, waitsUntil: waitsUntil.toISOString() });
}

/**
 * Hands over what waited for the session's user. `startListening` runs first, so a message sent
 * meanwhile is either among those taken here or finds the socket listening (see sendMessage).
 */
export async function listenForMessages(
  ctx: HubContext,
  session: ActiveSession,
  input: EventPayload<"message:listen">,
  isListening: ListeningCheck,
  startListening: () => Promise<void>,
): Promise<Ack<EventReply<"message:listen">>> {
  let peer: EventReply<"message:listen">["peer"];
  if (input.peer !== undefined) {
    // Looking a user up tells whether they exist, so it counts like a message would.
    const limited = await consumePoint(ctx.limits.messagesPerUser, session.userId);
    if (limited) return limited;
    const found = await ctx.db.user.findUnique({ where: { username: input.peer }, select: { id: true, username: true } });
    if (!found) return failure("user_not_found", `There is no user "${input.peer}".`);
    peer = { username: found.username, listening: await isListening(found.id) };
  }
  await startListening();
  const waiting = await takeWaitingMessages(ctx, session.userId);
  return success(peer ? { waiting, peer } : { waiting });
}
