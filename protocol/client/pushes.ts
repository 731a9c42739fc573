import { z } from "zod";
import { definePush } from "../event-definition.ts";
import { CHALLENGE_ID, DEVICE_ID, MESSAGE_ID, SESSION_ID } from "../example-values.ts";
import { noticeKindSchema, timestampSchema } from "../fields.ts";

/** One chat message, as pushed live and as handed over after it waited. */
export const messageSchema = z.object({ messageId: z.string(), from: z.string(), text: z.string(), sentAt: timestampSchema });

/** Hub-to-client events on `/client`: pushed, never acked. */
export const clientPushes = {
  "session:revoked": definePush({
    summary: "This socket's session has ended (logout elsewhere, revoke, password change or reset, time limit, lock, removed key, deleted account); the hub closes the socket next (see Limits).",
    payload: z.object({
      sessionId: z.string(),
      reason: z
        .enum(["logout", "revoked", "logout_all", "password_changed", "password_reset", "expired", "account_locked", "key_removed", "account_deleted"])
        .describe(
          "logout: this session logged out; revoked: ended from another session; logout_all: every session was logged out; password_changed / password_reset: the password changed, or was reset with an emailed code; expired: a time limit; account_locked: an administrator locked the account; key_removed: the key that opened it was removed; account_deleted: the account is gone",
        ),
    }),
    example: { sessionId: SESSION_ID, reason: "revoked" },
  }),
  "security:notice": definePush({
    summary: "Something security-relevant happened to the account.",
    payload: z.object({ kind: noticeKindSchema, message: z.string(), at: timestampSchema }),
    example: { kind: "password_changed", message: "Your password was changed; your other sessions were ended.", at: "2026-03-14T12:03:17.000Z" },
  }),
  "device:bound": definePush({
    summary: "The authenticator that was given this client's binding code is now paired.",
    payload: z.object({ device: z.object({ id: z.string(), name: z.string() }) }),
    example: { device: { id: DEVICE_ID, name: "alice-phone" } },
  }),
  "challenge:approved": definePush({
    summary: "The paired device approved this client's login; send auth:complete with the signature.",
    payload: z.object({ challengeId: z.string() }),
    example: { challengeId: CHALLENGE_ID },
  }),
  "challenge:denied": definePush({
    summary: "The login was refused on the device (`not_me`: reported as \"this wasn't me\"), or a wrong number was typed there.",
    payload: z.object({ challengeId: z.string(), reason: z.enum(["denied", "wrong_number", "not_me"]) }),
    example: { challengeId: CHALLENGE_ID, reason: "wrong_number" },
  }),
  "login:not-me": definePush({
    summary:
      "A login to this account was denied on a paired device as \"this wasn't me\": sent to every signed-in client of the account. Whoever tried knows the password; no login request is pushed to the devices until `pushesHeldUntil`.",
    payload: z.object({
      challengeId: z.string(),
      client: z.object({ name: z.string().nullable(), address: z.string().nullable() }).describe("the machine name and address the reported login came from"),
      newKey: z.boolean().describe("the reported login was signed by a key new to the account"),
      pushesHeldUntil: timestampSchema,
      message: z.string(),
      at: timestampSchema,
    }),
    example: {
      challengeId: CHALLENGE_ID,
      client: { name: "unknown-box", address: "198.51.100.7" },
      newKey: true,
      pushesHeldUntil: "2026-03-14T09:57:10.000Z",
      message: "A login from 198.51.100.7 (unknown-box) was reported on your device as not you. Whoever tried knows your password: change it. Logins are not pushed to your devices until 2026-03-14T09:57:10.000Z.",
      at: "2026-03-14T09:27:10.000Z",
    },
  }),
  "message:new": definePush({
    summary: "A message from another user, on every client of the recipient that called message:listen.",
    payload: messageSchema,
    example: { messageId: MESSAGE_ID, from: "bob", text: "Noon works. See you there.", sentAt: "2026-03-14T11:58:40.000Z" },
  }),
};

export type ClientPushName = keyof typeof clientPushes;
export type PushPayload<E extends ClientPushName> = z.output<(typeof clientPushes)[E]["payload"]>;
