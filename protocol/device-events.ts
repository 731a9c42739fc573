import { z } from "zod";
import { HOTP_ALGORITHM, HOTP_DIGITS } from "./constants.ts";
import { type EventDefinition, eventNames, type InputOf, type PayloadOf, type ReplyOf } from "./event-definition.ts";
import {
  bindingCodeSchema,
  deviceNameSchema,
  emptyPayloadSchema,
  idSchema,
  noticeKindSchema,
  numberMatchSchema,
  otpSchema,
  timestampSchema,
} from "./fields.ts";

/** A login waiting for the person's decision, as a device sees it. */
export const pendingChallengeSchema = z.object({
  challengeId: z.string(),
  username: z.string(),
  client: z.object({ name: z.string().nullable(), address: z.string().nullable() }),
  createdAt: timestampSchema,
  expiresAt: timestampSchema,
  /** Three two-digit numbers; the one the client shows is among them. */
  numberMatchOptions: z.array(numberMatchSchema),
});

/** Every authenticator-to-hub event on `/device`. */
export const deviceEvents = {
  "device:bind": {
    namespace: "/device",
    access: "anonymous",
    summary: "Pair this authenticator with the binding code shown by the client; returns the HOTP secret once.",
    payload: z.object({ code: bindingCodeSchema, name: deviceNameSchema }),
    reply: z.object({
      deviceId: z.string(),
      deviceToken: z.string(),
      username: z.string(),
      /** The device's name on the hub: the one given with the binding code, else the one sent here. */
      name: z.string(),
      /** Base32 (RFC 4648), 20 bytes. */
      secret: z.string(),
      counter: z.int(),
      digits: z.literal(HOTP_DIGITS),
      algorithm: z.literal(HOTP_ALGORITHM),
    }),
  },
  "challenge:list": {
    namespace: "/device",
    access: "device",
    summary: "Logins of this device's account still waiting for a decision (for example after a reconnect).",
    payload: emptyPayloadSchema,
    reply: z.object({ challenges: z.array(pendingChallengeSchema) }),
  },
  "challenge:approve": {
    namespace: "/device",
    access: "device",
    summary: "Approve a login with this device's next code and the number the person picked.",
    payload: z.object({ challengeId: idSchema, otp: otpSchema, numberMatch: numberMatchSchema }),
    reply: z.object({ approved: z.literal(true) }),
  },
  "challenge:deny": {
    namespace: "/device",
    access: "device",
    summary: "Refuse a login; the client is told at once.",
    payload: z.object({ challengeId: idSchema }),
    reply: z.object({ denied: z.literal(true) }),
  },
} as const satisfies Record<string, EventDefinition>;

export type DeviceEventName = keyof typeof deviceEvents;
export type DeviceEventPayload<E extends DeviceEventName> = PayloadOf<typeof deviceEvents, E>;
export type DeviceEventInput<E extends DeviceEventName> = InputOf<typeof deviceEvents, E>;
export type DeviceEventReply<E extends DeviceEventName> = ReplyOf<typeof deviceEvents, E>;

const deviceEventNames = eventNames(deviceEvents);
export const DEVICE_EVENT_NAMES = deviceEventNames.names;
export const isDeviceEventName = deviceEventNames.has;

/** Hub-to-device pushes. */
export const devicePushes = {
  "challenge:new": {
    summary: "A login of this device's account is waiting for approval.",
    payload: pendingChallengeSchema,
  },
  "challenge:closed": {
    summary:
      "A challenge ended; drop it from the inbox. `failed`: the client's attempt to finish the login was refused (a wrong code or signature), which used the challenge up. `abandoned`: the client that started the login disconnected before finishing it.",
    payload: z.object({ challengeId: z.string(), outcome: z.enum(["approved", "denied", "expired", "completed", "failed", "abandoned"]) }),
  },
  "device:revoked": {
    summary: "This device was unpaired; its token and codes no longer work. The socket is closed next.",
    payload: z.object({ deviceId: z.string() }),
  },
  "security:notice": {
    summary: "Something security-relevant happened to the account (for example a code lockout).",
    payload: z.object({ kind: noticeKindSchema, message: z.string(), at: timestampSchema }),
  },
} as const;

export type DevicePushName = keyof typeof devicePushes;
export type DevicePushPayload<E extends DevicePushName> = z.output<(typeof devicePushes)[E]["payload"]>;

/** The `auth` object of a paired `/device` handshake; without it only `device:bind` is allowed. */
export interface DeviceHandshakeAuth {
  deviceId?: string;
  deviceToken?: string;
}

