import type { Namespace, Socket } from "socket.io";
import { deviceEvents, type DeviceToHubEvents, type HubToDeviceEvents } from "#protocol";
import type { ActiveDevice } from "../../devices/devices.ts";
import { deviceHandlers } from "../../events/device-handlers.ts";
import { NO_MESSAGE_CONNECTION } from "../../events/handler.ts";
import type { RoutedSocketData, SocketRoutes } from "./event-router.ts";

export interface DeviceSocketData extends RoutedSocketData {
  device: ActiveDevice | undefined;
}

export type DeviceSocket = Socket<DeviceToHubEvents, HubToDeviceEvents, Record<string, never>, DeviceSocketData>;
export type DeviceNamespace = Namespace<DeviceToHubEvents, HubToDeviceEvents, Record<string, never>, DeviceSocketData>;

export const deviceRoom = (deviceId: string) => `device:${deviceId}`;
/** Every paired device of one account, for challenges and notices. */
export const userDevicesRoom = (userId: string) => `user-devices:${userId}`;


/** How `/device` sockets reach the event table: the handshake's device is the caller. */
export const deviceSocketRoutes: SocketRoutes<DeviceSocket> = {
  routes: { definitions: deviceEvents, handlers: deviceHandlers },
  callerOf: (_ctx, socket) => ({ origin: { address: socket.handshake.address }, device: socket.data.device, connection: NO_MESSAGE_CONNECTION }),
  // No device event asks anything of its socket.
  apply: () => Promise.resolve(),
};
