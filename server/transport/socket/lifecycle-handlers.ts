import { success, type lifecycleEvents } from "#protocol";
import { resendVerification, verifyEmail } from "../../accounts/email-verification.ts";
import { requestPasswordReset, resetPassword } from "../../accounts/password-reset.ts";
import type { HubContext } from "../../context.ts";
import { listClientKeys, removeClientKey } from "../../keys/client-keys.ts";
import { listenForMessages, sendMessage } from "../../messages/messages.ts";
import { replaceRecoveryCodes } from "../../recovery/recovery-codes.ts";
import type { HandlersFor } from "./client-handlers.ts";
import { hasListeningClient, messageRoom } from "./client-socket.ts";

export function lifecycleHandlers(ctx: HubContext): HandlersFor<typeof lifecycleEvents> {
  return {
    "account:verify-email": (payload, { origin }) => verifyEmail(ctx, payload, origin),
    "account:resend-verification": (payload, { origin }) => resendVerification(ctx, payload, origin),
    "password:forgot": (payload, { origin }) => requestPasswordReset(ctx, payload, origin),
    "password:reset": (payload, { origin }) => resetPassword(ctx, payload, origin),
    "recovery:generate": async (_payload, { session, origin }) => success({ codes: await replaceRecoveryCodes(ctx, session.userId, origin) }),
    "key:list": (_payload, { session }) => listClientKeys(ctx, session),
    "key:remove": ({ keyId }, { session, origin }) => removeClientKey(ctx, session, keyId, origin),
    "message:send": (payload, { session, socket }) => sendMessage(ctx, session, payload, (userId) => hasListeningClient(socket.nsp, userId)),
    "message:listen": (payload, { session, socket }) =>
      listenForMessages(
        ctx,
        session,
        payload,
        (userId) => hasListeningClient(socket.nsp, userId),
        () => Promise.resolve(socket.join(messageRoom(session.userId))),
      ),
  };
}
