import type { Ack, DeviceEventInput, DeviceEventName, DeviceEventReply, DeviceHandshakeAuth } from "#protocol";
import { connectToHub, createHubConnection, type DeviceConnection } from "../terminal/hub-connection.ts";
import type { HubTarget } from "../terminal/hub-settings.ts";

/** An approval is a keypress the person waits on; no bcrypt hash stands behind it, unlike a login. */
export const DEVICE_CALL_TIMEOUT_MS = 15_000;

/** What a paired socket presents in its handshake. */
export type DeviceCredentials = Required<DeviceHandshakeAuth>;

/** Sends one `/device` event and resolves with the hub's ack. */
export type DeviceCaller = <E extends DeviceEventName>(event: E, payload: DeviceEventInput<E>) => Promise<Ack<DeviceEventReply<E>>>;

/** A paired account's connection, not connected yet: DeviceLink connects and reconnects it. */
export function createDeviceConnection(target: HubTarget, credentials: DeviceCredentials): DeviceConnection {
  return createHubConnection("/device", target, credentials, { callTimeoutMs: DEVICE_CALL_TIMEOUT_MS });
}

/** Connects once, paired (`credentials`) or anonymous; rejects with a HubConnectionError that says why not. */
export function connectDevice(target: HubTarget, credentials?: DeviceCredentials): Promise<DeviceConnection> {
  return connectToHub("/device", target, credentials ?? {}, { callTimeoutMs: DEVICE_CALL_TIMEOUT_MS });
}

/** Pairs this authenticator on an anonymous connection, which is closed afterwards. */
export async function bindDevice(target: HubTarget, code: string, name: string): Promise<Ack<DeviceEventReply<"device:bind">>> {
  const connection = await connectDevice(target);
  try {
    return await connection.call("device:bind", { code, name });
  } finally {
    connection.close();
  }
}
