import { namespaceEvents, type InputOf, type PayloadOf, type ReplyOf } from "../event-definition.ts";
import { challengeEvents } from "./challenges.ts";
import { pairingEvents } from "./pairing.ts";

/** Every authenticator-to-hub event on `/device`. */
export const deviceEvents = namespaceEvents("/device", { ...pairingEvents, ...challengeEvents });

export type DeviceEventName = keyof typeof deviceEvents;
export type DeviceEventPayload<E extends DeviceEventName> = PayloadOf<typeof deviceEvents, E>;
export type DeviceEventInput<E extends DeviceEventName> = InputOf<typeof deviceEvents, E>;
export type DeviceEventReply<E extends DeviceEventName> = ReplyOf<typeof deviceEvents, E>;

/** The `auth` object of a paired `/device` handshake; without it only `device:bind` is allowed. */
export interface DeviceHandshakeAuth {
  deviceId?: string;
  deviceToken?: string;
}
