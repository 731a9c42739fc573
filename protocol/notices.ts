import { z } from "zod";
import { noticeKindSchema, timestampSchema } from "./fields.ts";

/** One chat message, as pushed live and as handed over after it waited. */
export const messageSchema = z.object({ messageId: z.string(), from: z.string(), text: z.string(), sentAt: timestampSchema });

/** Hub-to-client events: pushed, never acked. */
export const clientPushes = {
  "session:revoked": {
    summary: "This socket's session has ended (logout elsewhere, revoke, password change, time limit); the socket is closed next.",
    payload: z.object({
      sessionId: z.string(),
      reason: z.enum(["logout", "revoked", "logout_all", "password_changed", "expired"]),
    }),
  },
  "security:notice": {
    summary: "Something security-relevant happened to the account.",
    payload: z.object({
      kind: noticeKindSchema,
      message: z.string(),
      at: timestampSchema,
    }),
  },
  "device:bound": {
    summary: "The authenticator that was given this client's binding code is now paired.",
    payload: z.object({ device: z.object({ id: z.string(), name: z.string() }) }),
  },
  "challenge:approved": {
    summary: "The paired device approved this client's login; send auth:complete with the signature.",
    payload: z.object({ challengeId: z.string() }),
  },
  "challenge:denied": {
    summary: "The login was refused on the device (or the wrong number was picked).",
    payload: z.object({ challengeId: z.string(), reason: z.enum(["denied", "wrong_number"]) }),
  },
  "message:new": {
    summary: "A message from another user, on every client of the recipient that called message:listen.",
    payload: messageSchema,
  },
} as const;

export type ClientPushName = keyof typeof clientPushes;
export type PushPayload<E extends ClientPushName> = z.output<(typeof clientPushes)[E]["payload"]>;
