import { z } from "zod";
import { MESSAGE_MAX_LENGTH, WAITING_MESSAGE_TTL_SECONDS, WAITING_MESSAGES_PER_RECIPIENT_MAX } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { MESSAGE_ID } from "../example-values.ts";
import { timestampSchema, usernameSchema } from "../fields.ts";
import { messageSchema } from "./pushes.ts";

/** Chat between users, live on their connected clients. */
export const messageEvents = {
  "message:send": defineEvent({
    access: "session",
    summary: `Send a text to another user: live to the clients that listen for messages, or, with none listening, kept until one does (at most ${WAITING_MESSAGES_PER_RECIPIENT_MAX} waiting, for ${WAITING_MESSAGE_TTL_SECONDS / 86_400} days).`,
    payload: z.object({ to: usernameSchema, text: z.string().trim().min(1).max(MESSAGE_MAX_LENGTH) }),
    reply: z.object({
      messageId: z.string(),
      /** false: the recipient had no client listening; the message waits for one until `waitsUntil`. */
      delivered: z.boolean(),
      waitsUntil: timestampSchema.optional(),
    }),
    errors: [
      ["user_not_found", "No user has that username."],
      ["recipient_offline", "The recipient has no client listening and already has the most messages that may wait."],
      ["invalid_request", "Besides a payload that does not fit: the text holds control characters other than newlines and tabs."],
      ["rate_limited", "Too many messages from this account in a short time; wait `retryAfterSeconds`."],
    ],
    example: { payload: { to: "bob", text: "Lunch at noon?" }, reply: { messageId: MESSAGE_ID, delivered: true } },
  }),
  "message:listen": defineEvent({
    access: "session",
    summary: "Receive messages on this socket: those that waited come back in the reply, oldest first, and are deleted; later ones arrive as message:new.",
    payload: z.object({
      /** Whom the person is about to write to: an unknown username is refused at once, and the reply says whether they listen. */
      peer: usernameSchema.optional(),
    }),
    reply: z.object({
      waiting: z.array(messageSchema),
      peer: z.object({ username: z.string(), listening: z.boolean() }).optional(),
    }),
    errors: [
      ["user_not_found", "No user has the `peer` username."],
      ["rate_limited", "Too many messages and look-ups from this account in a short time; wait `retryAfterSeconds`."],
    ],
    example: {
      payload: { peer: "bob" },
      reply: {
        waiting: [{ messageId: MESSAGE_ID, from: "bob", text: "Are you back tomorrow?", sentAt: "2026-03-13T19:02:11.000Z" }],
        peer: { username: "bob", listening: true },
      },
    },
  }),
};
