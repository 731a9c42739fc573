import { io, type Socket } from "socket.io-client";
import { decodeBase32Secret, generateHotp } from "#otp";
import type { Ack, DeviceEventInput, DeviceEventName, DeviceEventReply, DeviceToHubEvents, HubToDeviceEvents } from "#protocol";
import { call, callRaw, expectOk, logIn, register, type TestAccount, type TestSocket, untilConnected } from "./client.ts";
import type { TestHub } from "./hub.ts";

export type TestDeviceSocket = Socket<HubToDeviceEvents, DeviceToHubEvents>;

/** A real `/device` socket; `from` is another loopback address to connect from. */
export async function connectDevice(hub: TestHub, auth: { deviceId?: string; deviceToken?: string } = {}, from?: string): Promise<TestDeviceSocket> {
  const socket: TestDeviceSocket = io(`${hub.url}/device`, { ca: hub.ca, transports: ["websocket"], auth, reconnection: false, forceNew: true, ...(from ? { localAddress: from } : {}) } as never);
  await untilConnected(socket as unknown as Socket);
  return socket;
}

export function deviceCall<E extends DeviceEventName>(socket: TestDeviceSocket, event: E, payload: DeviceEventInput<E>): Promise<Ack<DeviceEventReply<E>>> {
  return callRaw(socket as unknown as Socket, event, payload) as Promise<Ack<DeviceEventReply<E>>>;
}

/** A paired authenticator as the tests hold it: its credentials, secret and counter. */
export interface TestDevice {
  deviceId: string;
  deviceToken: string;
  secret: Uint8Array;
  counter: number;
  /** The next code, advancing the counter as a real authenticator does. */
  nextCode(): string;
  codeAt(counter: number): string;
}

/** Creates a binding code on the owner's socket and binds an anonymous device socket with it. */
export async function pairDevice(hub: TestHub, owner: TestSocket, name = "phone"): Promise<TestDevice> {
  const { code } = expectOk(await call(owner, "device:create-binding-code", { name }));
  const anonymous = await connectDevice(hub);
  const bound = await deviceCall(anonymous, "device:bind", { code, name });
  anonymous.disconnect();
  const data = expectOk(bound);
  const secret = decodeBase32Secret(data.secret);
  const device: TestDevice = {
    deviceId: data.deviceId,
    deviceToken: data.deviceToken,
    secret,
    counter: data.counter,
    nextCode() {
      const code = generateHotp(secret, device.counter);
      device.counter += 1;
      return code;
    },
    codeAt: (counter) => generateHotp(secret, counter),
  };
  return device;
}

export function nextPush<T>(socket: { once(event: string, listener: (payload: T) => void): unknown }, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, resolve));
}

/** Registers the account and pairs one device with it, as its owner would from a client. */
export async function registerWithDevice(hub: TestHub, account: TestAccount, name = "phone"): Promise<TestDevice> {
  await register(hub, account);
  const { socket: owner } = await logIn(hub, account);
  try {
    return await pairDevice(hub, owner, name);
  } finally {
    owner.disconnect();
  }
}
