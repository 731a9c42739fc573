import type { Namespace, Socket } from "socket.io";
import type { DeviceToHubEvents, HubToDeviceEvents } from "#protocol";
import type { ActiveDevice } from "../../devices/devices.ts";
import type { RoutedSocketData } from "./event-router.ts";

export interface DeviceSocketData extends RoutedSocketData {
  device: ActiveDevice | undefined;
}

export type DeviceSocket = Socket<DeviceToHubEvents, HubToDeviceEvents, Record<string, never>, DeviceSocketData>;
export type DeviceNamespace = Namespace<DeviceToHubEvents, HubToDeviceEvents, Record<string, never>, DeviceSocketData>;

export const deviceRoom = (deviceId: string) => `device:${deviceId}`;
/** Every paired device of one account, for challenges and notices. */
export const userDevicesRoom = (userId: string) => `user-devices:${userId}`;
