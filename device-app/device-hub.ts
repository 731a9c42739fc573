import { io, type Socket } from "socket.io-client";
import {
  type Ack,
  type DeviceEventInput,
  type DeviceEventName,
  type DeviceEventReply,
  type DeviceHandshakeAuth,
  deviceEvents,
  type DeviceToHubEvents,
  type HubToDeviceEvents,
} from "#protocol";
import { classifyConnectError, HubConnectionError } from "../terminal/hub-connection.ts";
import type { HubTarget } from "../terminal/hub-settings.ts";

export const DEVICE_CONNECT_TIMEOUT_MS = 10_000;
export const DEVICE_CALL_TIMEOUT_MS = 15_000;

export type DeviceSocket = Socket<HubToDeviceEvents, DeviceToHubEvents>;

/** What a paired socket presents in its handshake. */
export type DeviceCredentials = Required<DeviceHandshakeAuth>;

/** Sends one `/device` event and resolves with the hub's ack. */
export type DeviceCaller = <E extends DeviceEventName>(event: E, payload: DeviceEventInput<E>) => Promise<Ack<DeviceEventReply<E>>>;

// socket.io's typed emit cannot check a payload whose event name is a type parameter.
type UntypedSocket = { timeout(ms: number): { emitWithAck(event: string, payload: unknown): Promise<unknown> } };

/**
 * A `/device` socket that is not connected yet. Reconnection is off: callers decide when to
 * retry (DeviceLink), and a one-shot command should fail instead of waiting forever.
 */
export function createDeviceSocket(target: HubTarget, credentials?: DeviceCredentials): DeviceSocket {
  return io(`${target.url}/device`, {
    transports: ["websocket"],
    ca: target.ca,
    auth: credentials ?? {},
    autoConnect: false,
    reconnection: false,
    forceNew: true,
    timeout: DEVICE_CONNECT_TIMEOUT_MS,
  });
}

/** Connects the socket; rejects with a HubConnectionError that says why not. */
export function connectDeviceSocket(socket: DeviceSocket): Promise<DeviceSocket> {
  return new Promise((resolve, reject) => {
    const onConnect = () => {
      socket.off("connect_error", onError);
      resolve(socket);
    };
    const onError = (error: Error) => {
      socket.off("connect", onConnect);
      socket.close();
      reject(new HubConnectionError(classifyConnectError(error)));
    };
    socket.once("connect", onConnect);
    socket.once("connect_error", onError);
    socket.connect();
  });
}

/**
 * Sends one event and resolves with the hub's ack, checked against the protocol's reply schema.
 * Rejects only when no usable ack can arrive. Nothing is queued while offline: an approval sent
 * minutes late, after a reconnect, would surprise the person who pressed the key.
 */
export async function callDevice<E extends DeviceEventName>(
  socket: DeviceSocket,
  event: E,
  payload: DeviceEventInput<E>,
  timeoutMs = DEVICE_CALL_TIMEOUT_MS,
): Promise<Ack<DeviceEventReply<E>>> {
  if (!socket.connected) throw new HubConnectionError({ kind: "disconnected", reason: "not connected" });
  let reply: unknown;
  try {
    reply = await (socket as unknown as UntypedSocket).timeout(timeoutMs).emitWithAck(event, payload);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new HubConnectionError(/timed out/i.test(reason) ? { kind: "timeout" } : { kind: "disconnected", reason });
  }
  const ack = parseDeviceAck(event, reply);
  if (!ack) throw new HubConnectionError({ kind: "bad_reply", event });
  return ack;
}

/** Pairs this authenticator on an anonymous socket, which is closed afterwards. */
export async function bindDevice(target: HubTarget, code: string, name: string): Promise<Ack<DeviceEventReply<"device:bind">>> {
  const socket = await connectDeviceSocket(createDeviceSocket(target));
  try {
    return await callDevice(socket, "device:bind", { code, name });
  } finally {
    socket.close();
  }
}

function parseDeviceAck<E extends DeviceEventName>(event: E, reply: unknown): Ack<DeviceEventReply<E>> | undefined {
  if (typeof reply !== "object" || reply === null || !("ok" in reply)) return undefined;
  if (reply.ok === false) {
    const error = (reply as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code !== "string" || typeof error.message !== "string") return undefined;
    return reply as Ack<DeviceEventReply<E>>;
  }
  const data = deviceEvents[event].reply.safeParse((reply as { data?: unknown }).data);
  if (!data.success) return undefined;
  return { ok: true, data: data.data as DeviceEventReply<E> };
}
