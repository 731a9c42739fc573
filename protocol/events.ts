import { z } from "zod";
import { adminEvents } from "./admin-events.ts";
import { AUDIT_PAGE_MAX } from "./constants.ts";
import { lifecycleEvents } from "./lifecycle-events.ts";
import {
  accountSchema,
  deviceNameSchema,
  emailCodeSchema,
  recoveryCodeSchema,
  deviceSchema,
  numberMatchSchema,
  otpSchema,
  clientNameSchema,
  emailSchema,
  emptyPayloadSchema,
  idSchema,
  passwordSchema,
  publicKeyPemSchema,
  signatureSchema,
  timestampSchema,
  usernameSchema,
  userSchema,
} from "./fields.ts";

import { type EventDefinition, eventNames, type InputOf, type PayloadOf, type ReplyOf } from "./event-definition.ts";

export type { EventDefinition } from "./event-definition.ts";

const registerBodySchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordSchema,
  publicKey: publicKeyPemSchema,
});

const loginBodySchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  /** Shown on the paired device next to the login request, e.g. "laptop (pairgate cli)". */
  clientName: clientNameSchema.optional(),
});

const completeLoginBodySchema = z.object({
  challengeId: idSchema,
  signature: signatureSchema,
  clientName: clientNameSchema.optional(),
  /** The paired device's next code; not needed once the device has approved the login. */
  otp: otpSchema.optional(),
  /** One of the account's recovery codes, instead of the device's code (a lost device). */
  recoveryCode: recoveryCodeSchema.optional(),
  /**
   * This machine's public key, when the account does not know it yet (a second machine). The
   * login then also needs a second proof: the device's code or approval, a recovery code, or,
   * with no device, `emailCode`; on success the key is added to the account.
   */
  publicKey: publicKeyPemSchema.optional(),
  /** The code emailed for adding `publicKey`, when the account has no device. */
  emailCode: emailCodeSchema.optional(),
});

const changePasswordBodySchema = z.object({
  currentPassword: passwordSchema,
  newPassword: passwordSchema,
});

const revokeSessionBodySchema = z.object({ sessionId: idSchema });

const listAuditBodySchema = z.object({
  limit: z.int().min(1).max(AUDIT_PAGE_MAX).optional(),
  before: idSchema.optional(),
});

const sessionSchema = z.object({
  id: z.string(),
  clientName: z.string().nullable(),
  address: z.string().nullable(),
  createdAt: timestampSchema,
  lastSeenAt: timestampSchema,
  expiresAt: timestampSchema,
  current: z.boolean(),
});

const auditEventSchema = z.object({
  id: z.string(),
  action: z.string(),
  address: z.string().nullable(),
  details: z.record(z.string(), z.unknown()).nullable(),
  createdAt: timestampSchema,
});

const coreClientEvents = {
  "account:register": {
    namespace: "/client",
    access: "anonymous",
    summary: "Create an account with a password and the client's RSA public key.",
    payload: registerBodySchema,
    reply: z.object({ user: userSchema, emailVerificationRequired: z.boolean() }),
  },
  "auth:login": {
    namespace: "/client",
    access: "anonymous",
    summary: "Check the password and open a login challenge for the key signature.",
    payload: loginBodySchema,
    reply: z.object({
      challengeId: z.string(),
      nonce: z.string(),
      expiresAt: timestampSchema,
      factors: z.array(z.enum(["signature", "otp"])),
      /** Shown by the client; the person picks it among the device's options. Only with a device. */
      numberMatch: numberMatchSchema.optional(),
      /**
       * Only when every paired device's code checks are locked (too many wrong codes): until when
       * the first of them stays locked. Neither a code nor an approval can pass until then, so
       * the challenge is not offered to the devices; a recovery code still works.
       */
      otpLockedUntil: timestampSchema
        .optional()
        .describe("only when every paired device's code checks are locked: until when the first stays locked; only a recovery code can pass, and no device is offered the login"),
    }),
  },
  "auth:complete": {
    namespace: "/client",
    access: "anonymous",
    summary: "Answer a login challenge with the key signature; returns the session token once.",
    payload: completeLoginBodySchema,
    reply: z.object({ token: z.string(), expiresAt: timestampSchema, user: userSchema }),
  },
  "auth:logout": {
    namespace: "/client",
    access: "session",
    summary: "End this socket's session.",
    payload: emptyPayloadSchema,
    reply: z.object({ loggedOut: z.literal(true) }),
  },
  "auth:logout-all": {
    namespace: "/client",
    access: "session",
    summary: "End every session of the account, this one included.",
    payload: emptyPayloadSchema,
    reply: z.object({ sessionsEnded: z.int() }),
  },
  "account:me": {
    namespace: "/client",
    access: "session",
    summary: "The account behind this session.",
    payload: emptyPayloadSchema,
    reply: z.object({ user: accountSchema, session: z.object({ id: z.string(), expiresAt: timestampSchema }) }),
  },
  "password:change": {
    namespace: "/client",
    access: "session",
    summary: "Change the password; every other session of the account ends.",
    payload: changePasswordBodySchema,
    reply: z.object({ changed: z.literal(true), sessionsEnded: z.int() }),
  },
  "session:list": {
    namespace: "/client",
    access: "session",
    summary: "The account's active sessions.",
    payload: emptyPayloadSchema,
    reply: z.object({ sessions: z.array(sessionSchema) }),
  },
  "session:revoke": {
    namespace: "/client",
    access: "session",
    summary: "End one of the account's sessions; its sockets are disconnected at once.",
    payload: revokeSessionBodySchema,
    reply: z.object({ revoked: z.literal(true) }),
  },
  "audit:list": {
    namespace: "/client",
    access: "session",
    summary: "The account's own security events, newest first.",
    payload: listAuditBodySchema,
    reply: z.object({ events: z.array(auditEventSchema), nextBefore: z.string().nullable() }),
  },
  "device:create-binding-code": {
    namespace: "/client",
    access: "session",
    summary: "A one-time code (XXXX-XXXX, 5 minutes) to type into a new authenticator.",
    payload: z.object({ name: deviceNameSchema.optional() }),
    reply: z.object({ code: z.string(), expiresAt: timestampSchema }),
  },
  "device:list": {
    namespace: "/client",
    access: "session",
    summary: "The account's paired devices.",
    payload: emptyPayloadSchema,
    reply: z.object({ devices: z.array(deviceSchema) }),
  },
  "device:rename": {
    namespace: "/client",
    access: "session",
    summary: "Rename a paired device.",
    payload: z.object({ deviceId: idSchema, name: deviceNameSchema }),
    reply: z.object({ device: deviceSchema }),
  },
  "device:revoke": {
    namespace: "/client",
    access: "session",
    summary: "Unpair a device: it is disconnected at once and its codes and token stop working.",
    payload: z.object({ deviceId: idSchema }),
    reply: z.object({ revoked: z.literal(true) }),
  },
} as const satisfies Record<string, EventDefinition>;

/** Every client-to-hub event on `/client`. */
export const clientEvents = { ...coreClientEvents, ...lifecycleEvents, ...adminEvents } as const satisfies Record<string, EventDefinition>;

export type ClientEventName = keyof typeof clientEvents;
export type EventPayload<E extends ClientEventName> = PayloadOf<typeof clientEvents, E>;
export type EventInput<E extends ClientEventName> = InputOf<typeof clientEvents, E>;
export type EventReply<E extends ClientEventName> = ReplyOf<typeof clientEvents, E>;

const clientEventNames = eventNames(clientEvents);
export const CLIENT_EVENT_NAMES = clientEventNames.names;
export const isClientEventName = clientEventNames.has;
