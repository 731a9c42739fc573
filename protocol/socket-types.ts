import type { Ack } from "./ack.ts";
import type { ClientEventName, EventInput, EventReply } from "./client/client-events.ts";
import type { ClientPushName, PushPayload } from "./client/pushes.ts";
import type { DeviceEventInput, DeviceEventName, DeviceEventReply } from "./device/device-events.ts";
import type { DevicePushName, DevicePushPayload } from "./device/pushes.ts";

/**
 * Typed Socket.IO event maps, as socket.io's own `Server<ClientToServer, ServerToClient>`
 * generics expect. Clients use the same maps reversed.
 */
export type ClientToHubEvents = {
  [E in ClientEventName]: (payload: EventInput<E>, ack: (reply: Ack<EventReply<E>>) => void) => void;
};

export type HubToClientEvents = {
  [E in ClientPushName]: (payload: PushPayload<E>) => void;
};

/** The `auth` object of a `/client` handshake. */
export interface ClientHandshakeAuth {
  token?: string;
}

export type DeviceToHubEvents = {
  [E in DeviceEventName]: (payload: DeviceEventInput<E>, ack: (reply: Ack<DeviceEventReply<E>>) => void) => void;
};

export type HubToDeviceEvents = {
  [E in DevicePushName]: (payload: DevicePushPayload<E>) => void;
};
