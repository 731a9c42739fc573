import { AUDIT_PAGE_MAX, success, type clientEvents } from "#protocol";
import { describeCurrentSession, registerAccount } from "../accounts/accounts.ts";
import { changeEmail } from "../accounts/email-change.ts";
import { deleteOwnAccount } from "../accounts/account-deletion.ts";
import { resendVerification, verifyEmail } from "../accounts/email-verification.ts";
import { changePassword } from "../accounts/password-change.ts";
import { requestPasswordReset, resetPassword } from "../accounts/password-reset.ts";
import { deleteUser } from "../admin/account-deletion.ts";
import { lockUser, unlockUser } from "../admin/account-locks.ts";
import { listUsers, updateUser } from "../admin/admin-users.ts";
import { listUserAudit } from "../audit/audit-log.ts";
import { completeLogin, startLogin } from "../auth/login.ts";
import { reauthenticate, requireFreshProof } from "../auth/fresh-proof.ts";
import { proveLoginKey } from "../auth/login-push.ts";
import { createBindingCode } from "../devices/binding-codes.ts";
import { listUserDevices, renameDevice, revokeDevice } from "../devices/devices.ts";
import { confirmStandardEnrolment, startStandardEnrolment } from "../devices/standard-enrolments.ts";
import { listClientKeys, removeClientKey } from "../keys/client-keys.ts";
import { listenForMessages, sendMessage } from "../messages/messages.ts";
import { replaceRecoveryCodes } from "../recovery/recovery-codes.ts";
import { listOwnSessions, logOutEverySession, logOutSession, revokeOwnSession } from "../sessions/current-session.ts";
import { withEffects, type HandlerTable } from "./handler.ts";

const AUDIT_PAGE_DEFAULT = 50;

/** Every `/client` event's handler; transports reach them only through dispatchEvent. */
export const clientHandlers: HandlerTable<typeof clientEvents> = {
  "account:register": (ctx, { origin }, payload) => registerAccount(ctx, payload, origin),
  "account:verify-email": (ctx, { origin }, payload) => verifyEmail(ctx, payload, origin),
  "account:resend-verification": (ctx, { origin }, payload) => resendVerification(ctx, payload, origin),
  "account:me": (ctx, { session }) => describeCurrentSession(ctx, session),
  // Sensitive events (sudo mode) call requireFreshProof first; account:delete carries its own proof, the password.
  "account:change-email": async (ctx, caller, payload) => (await requireFreshProof(ctx, caller)) ?? changeEmail(ctx, caller.session, payload, caller.origin),
  "account:delete": (ctx, { session, origin }, payload) => deleteOwnAccount(ctx, session, payload, origin),

  "auth:login": async (ctx, { origin }, payload) => {
    const ack = await startLogin(ctx, payload, origin);
    if (!ack.ok) return ack;
    return withEffects(ack, { kind: "login-opened", challengeId: ack.data.challengeId, expiresAt: new Date(ack.data.expiresAt) });
  },
  "auth:prove-key": async (ctx, { origin }, payload) => {
    const ack = await proveLoginKey(ctx, payload, origin);
    if (!ack.ok || ack.data.numberMatch === undefined) return ack;
    // The devices were asked: the caller hears their decision live.
    return withEffects(ack, { kind: "login-pushed", challengeId: payload.challengeId });
  },
  "auth:complete": async (ctx, { origin }, payload) => {
    const { reply, session } = await completeLogin(ctx, payload, origin);
    return session ? withEffects(reply, { kind: "login-finished", challengeId: payload.challengeId }, { kind: "session-started", session }) : reply;
  },
  "auth:logout": (ctx, { session, origin }) => logOutSession(ctx, session, origin),
  "auth:logout-all": (ctx, { session, origin }) => logOutEverySession(ctx, session, origin),

  "password:change": (ctx, { session, origin }, payload) => changePassword(ctx, session, payload, origin),
  "password:forgot": (ctx, { origin }, payload) => requestPasswordReset(ctx, payload, origin),
  "password:reset": (ctx, { origin }, payload) => resetPassword(ctx, payload, origin),

  "session:reauthenticate": (ctx, { session, origin }, payload) => reauthenticate(ctx, session, payload, origin),
  "session:list": (ctx, { session }) => listOwnSessions(ctx, session),
  "session:revoke": (ctx, { session, origin }, { sessionId }) => revokeOwnSession(ctx, session, sessionId, origin),
  "audit:list": async (ctx, { session }, { limit, before }) =>
    success(await listUserAudit(ctx.db, session.userId, Math.min(limit ?? AUDIT_PAGE_DEFAULT, AUDIT_PAGE_MAX), before)),

  "device:create-binding-code": async (ctx, caller, { name }) => {
    const stale = await requireFreshProof(ctx, caller);
    if (stale) return stale;
    const { code, expiresAt } = await createBindingCode(ctx, caller.session.userId, caller.session.sessionId, name);
    return success({ code, expiresAt: expiresAt.toISOString() });
  },
  // A new second factor is sensitive: a stolen token must not add one. Confirming needs the session that started it.
  "device:enrol-standard": async (ctx, caller, payload) => (await requireFreshProof(ctx, caller)) ?? startStandardEnrolment(ctx, caller.session, payload, caller.origin),
  "device:confirm-standard": (ctx, { session, origin }, payload) => confirmStandardEnrolment(ctx, session, payload, origin),
  "device:list": async (ctx, { session }) => success({ devices: await listUserDevices(ctx, session.userId) }),
  "device:rename": (ctx, { session, origin }, { deviceId, name }) => renameDevice(ctx, session.userId, deviceId, name, origin),
  "device:revoke": (ctx, { session, origin }, { deviceId }) => revokeDevice(ctx, session.userId, deviceId, origin),

  "recovery:generate": async (ctx, caller) => (await requireFreshProof(ctx, caller)) ?? success({ codes: await replaceRecoveryCodes(ctx, caller.session.userId, caller.origin) }),
  "key:list": (ctx, { session }) => listClientKeys(ctx, session),
  "key:remove": async (ctx, caller, { keyId }) => (await requireFreshProof(ctx, caller)) ?? removeClientKey(ctx, caller.session, keyId, caller.origin),

  "message:send": (ctx, { session, connection }, payload) => sendMessage(ctx, session, payload, (userId) => connection.hasListeningClient(userId)),
  "message:listen": (ctx, { session, connection }, payload) =>
    listenForMessages(ctx, session, payload, (userId) => connection.hasListeningClient(userId), () => connection.listenForMessages(session.userId)),

  // Role `admin` only: dispatch answers `forbidden` to anyone else before these run.
  "admin:list-users": (ctx, { session, origin }, payload) => listUsers(ctx, session, payload, origin),
  "admin:update-user": (ctx, { session, origin }, payload) => updateUser(ctx, session, payload, origin),
  "admin:lock-user": (ctx, { session, origin }, payload) => lockUser(ctx, session, payload, origin),
  "admin:unlock-user": (ctx, { session, origin }, payload) => unlockUser(ctx, session, payload, origin),
  "admin:delete-user": (ctx, { session, origin }, payload) => deleteUser(ctx, session, payload, origin),
};
