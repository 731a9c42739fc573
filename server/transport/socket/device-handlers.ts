import { deviceEvents, failure, success, type Ack, type DeviceEventName, type DeviceEventPayload, type DeviceEventReply } from "#protocol";
import { approveChallenge, denyChallenge, listPendingChallenges } from "../../auth/login-challenges.ts";
import type { HubContext, Origin } from "../../context.ts";
import { bindDevice, type ActiveDevice } from "../../devices/devices.ts";
import type { DeviceSocket } from "./device-socket.ts";
import type { RouteTable } from "./event-router.ts";

type DeviceOf<E extends DeviceEventName> = (typeof deviceEvents)[E]["access"] extends "device" ? ActiveDevice : ActiveDevice | undefined;

export type DeviceHandlers = {
  [E in DeviceEventName]: (payload: DeviceEventPayload<E>, call: { origin: Origin; device: DeviceOf<E> }) => Promise<Ack<DeviceEventReply<E>>>;
};

export function deviceHandlers(ctx: HubContext): DeviceHandlers {
  return {
    "device:bind": (payload, { origin }) => bindDevice(ctx, payload, origin),
    "challenge:list": async (_payload, { device }) => success({ challenges: await listPendingChallenges(ctx, device) }),
    "challenge:approve": (payload, { device, origin }) => approveChallenge(ctx, device, payload, origin),
    "challenge:deny": ({ challengeId }, { device, origin }) => denyChallenge(ctx, device, challengeId, origin),
  };
}

export function deviceRouteTable(ctx: HubContext): RouteTable<DeviceSocket> {
  const typed = deviceHandlers(ctx) as unknown as Record<string, (payload: never, call: { origin: Origin; device: ActiveDevice }) => Promise<Ack<unknown>>>;
  const handlers = Object.fromEntries(
    Object.entries(typed).map(([event, handler]) => [
      event,
      (payload: never, call: { origin: Origin; socket: DeviceSocket }) => handler(payload, { origin: call.origin, device: call.socket.data.device as ActiveDevice }),
    ]),
  );
  return {
    definitions: deviceEvents,
    handlers,
    isAllowed: (socket, access) => access === "anonymous" || (access === "device" && socket.data.device !== undefined),
    refusal: () => failure("unauthorized", "Pair this device first: connect with deviceId and deviceToken."),
  };
}
