import { z } from "zod";
import { MESSAGE_MAX_LENGTH, WAITING_MESSAGE_TTL_SECONDS, WAITING_MESSAGES_PER_RECIPIENT_MAX } from "./constants.ts";
import type { EventDefinition } from "./event-definition.ts";
import {
  emailCodeSchema,
  emptyPayloadSchema,
  idSchema,
  loginNameSchema,
  otpSchema,
  passwordSchema,
  recoveryCodeSchema,
  timestampSchema,
  usernameSchema,
} from "./fields.ts";
import { messageSchema } from "./notices.ts";

const clientKeySchema = z.object({
  id: z.string(),
  fingerprint: z.string(),
  createdAt: timestampSchema,
  lastUsedAt: timestampSchema.nullable(),
  /** The key this session logged in with. */
  current: z.boolean(),
});

/** Email verification, password recovery, recovery codes, client keys and messages on `/client`. */
export const lifecycleEvents = {
  "account:verify-email": {
    namespace: "/client",
    access: "anonymous",
    summary: "Confirm the email address with the 6-digit code sent at registration.",
    payload: z.object({ username: usernameSchema, code: emailCodeSchema }),
    reply: z.object({ verified: z.literal(true) }),
  },
  "account:resend-verification": {
    namespace: "/client",
    access: "anonymous",
    summary: "Send a new verification code (3 a minute); the same answer whether or not there is anything to send.",
    payload: z.object({ username: usernameSchema }),
    reply: z.object({ sent: z.literal(true) }),
  },
  "password:forgot": {
    namespace: "/client",
    access: "anonymous",
    summary: "Email a 6-digit reset code (10 minutes); the same answer, in the same time, whether or not the account exists.",
    payload: z.object({ login: loginNameSchema }),
    reply: z.object({ sent: z.literal(true) }),
  },
  "password:reset": {
    namespace: "/client",
    access: "anonymous",
    summary: "Set a new password with the emailed code (and, with a paired device, its code or a recovery code); every session ends.",
    payload: z.object({
      username: usernameSchema,
      code: emailCodeSchema,
      newPassword: passwordSchema,
      otp: otpSchema.optional(),
      recoveryCode: recoveryCodeSchema.optional(),
    }),
    reply: z.object({ reset: z.literal(true) }),
  },
  "recovery:generate": {
    namespace: "/client",
    access: "session",
    summary: "Make 10 single-use recovery codes, shown this once; any earlier ones stop working.",
    payload: emptyPayloadSchema,
    reply: z.object({ codes: z.array(z.string()) }),
  },
  "key:list": {
    namespace: "/client",
    access: "session",
    summary: "The account's client public keys, one per machine.",
    payload: emptyPayloadSchema,
    reply: z.object({ keys: z.array(clientKeySchema) }),
  },
  "key:remove": {
    namespace: "/client",
    access: "session",
    summary: "Remove a client key; the sessions it opened end.",
    payload: z.object({ keyId: idSchema }),
    reply: z.object({ removed: z.literal(true), sessionsEnded: z.int() }),
  },
  "message:send": {
    namespace: "/client",
    access: "session",
    summary: `Send a text to another user: live to the clients that listen for messages, or, with none listening, kept until one does (at most ${WAITING_MESSAGES_PER_RECIPIENT_MAX} waiting, for ${WAITING_MESSAGE_TTL_SECONDS / 86_400} days).`,
    payload: z.object({ to: usernameSchema, text: z.string().trim().min(1).max(MESSAGE_MAX_LENGTH) }),
    reply: z.object({
      messageId: z.string(),
      /** false: the recipient had no client listening; the message waits for one until `waitsUntil`. */
      delivered: z.boolean(),
      waitsUntil: timestampSchema.optional(),
    }),
  },
  "message:listen": {
    namespace: "/client",
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
  },
} as const satisfies Record<string, EventDefinition>;
