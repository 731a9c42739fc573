import { success, type deviceEvents } from "#protocol";
import { approveChallenge, denyChallenge, listPendingChallenges } from "../auth/login-challenges.ts";
import { bindDevice } from "../devices/devices.ts";
import type { HandlerTable } from "./handler.ts";

/** Every `/device` event's handler. */
export const deviceHandlers: HandlerTable<typeof deviceEvents> = {
  "device:bind": (ctx, { origin }, payload) => bindDevice(ctx, payload, origin),
  "challenge:list": async (ctx, { device }) => success({ challenges: await listPendingChallenges(ctx, device) }),
  "challenge:approve": (ctx, { device, origin }, payload) => approveChallenge(ctx, device, payload, origin),
  "challenge:deny": (ctx, { device, origin }, payload) => denyChallenge(ctx, device, payload, origin),
};
