import { z } from "zod";
import { MESSAGE_MAX_LENGTH } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { MESSAGE_ID } from "../example-values.ts";
import { usernameSchema } from "../fields.ts";

/** Chat between users, live on their connected clients. */
export const messageEvents = {
  "message:send": defineEvent({
    access: "session",
    summary: "Send a text to another user's connected clients.",
    payload: z.object({ to: usernameSchema, text: z.string().trim().min(1).max(MESSAGE_MAX_LENGTH) }),
    reply: z.object({ messageId: z.string(), delivered: z.literal(true) }),
    errors: [
      ["user_not_found", "No user has that username."],
      "recipient_offline",
      ["invalid_request", "Besides a payload that does not fit: the text holds control characters other than newlines and tabs."],
      ["rate_limited", "Too many messages from this account in a short time; wait `retryAfterSeconds`."],
    ],
    example: { payload: { to: "bob", text: "Lunch at noon?" }, reply: { messageId: MESSAGE_ID, delivered: true } },
  }),
};
