import { z } from "zod";
import { timestampSchema } from "./fields.ts";

/** Hub-to-client events: pushed, never acked. */
export const clientPushes = {
  "session:revoked": {
    summary: "This socket's session has ended (logout elsewhere, revoke, password change); the socket is closed next.",
    payload: z.object({
      sessionId: z.string(),
      reason: z.enum(["logout", "revoked", "logout_all", "password_changed", "expired"]),
    }),
  },
  "security:notice": {
    summary: "Something security-relevant happened to the account.",
    payload: z.object({
      kind: z.enum(["password_changed", "sessions_revoked", "new_login"]),
      message: z.string(),
      at: timestampSchema,
    }),
  },
} as const;

export type ClientPushName = keyof typeof clientPushes;
export type PushPayload<E extends ClientPushName> = z.output<(typeof clientPushes)[E]["payload"]>;
