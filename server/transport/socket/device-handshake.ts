import type { ExtendedError } from "socket.io";
import type { ConnectErrorCode } from "#protocol";
import type { HubContext } from "../../context.ts";
import { UNAVAILABLE_MESSAGE, unreachableDependencyOf } from "../../dependencies/unreachable-errors.ts";
import { authenticateDevice } from "../../devices/devices.ts";
import { originRefusal } from "../web/own-origin.ts";
import { deviceRoom, userDevicesRoom, type DeviceSocket } from "./device-socket.ts";

const CREDENTIAL_MAX_LENGTH = 128;

function refusal(message: string, code: ConnectErrorCode = "invalid_device_token"): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code };
  return error;
}

/** `/device` handshake: none means only `device:bind`; otherwise the token must name a paired device. */
export function deviceHandshake(ctx: HubContext) {
  return async (socket: DeviceSocket, next: (error?: ExtendedError) => void) => {
    socket.data.inFlight = 0;
    socket.data.closeWhenIdle = false;
    socket.data.device = undefined;
    // Authenticators are terminal programs; a page of another site has no business here.
    const refusedOrigin = originRefusal(socket.handshake.headers, false);
    if (refusedOrigin) return next(refusal(refusedOrigin, "origin_not_allowed"));
    const auth = (socket.handshake.auth ?? {}) as { deviceId?: unknown; deviceToken?: unknown };
    if (auth.deviceId === undefined && auth.deviceToken === undefined) return next();
    const { deviceId, deviceToken } = auth;
    if (typeof deviceId !== "string" || typeof deviceToken !== "string" || deviceId.length > CREDENTIAL_MAX_LENGTH || deviceToken.length > CREDENTIAL_MAX_LENGTH) {
      return next(refusal("The handshake needs deviceId and deviceToken strings.", "invalid_handshake"));
    }
    try {
      const device = await authenticateDevice(ctx, deviceId, deviceToken);
      if (!device) return next(refusal("This device is not paired (or was unpaired); bind it again."));
      socket.data.device = device;
      await socket.join([deviceRoom(device.deviceId), userDevicesRoom(device.userId)]);
      next();
    } catch (error) {
      // Not a verdict on the pairing: the authenticator must keep its credentials and retry. An
      // unreachable database is logged once per outage (DependencyHealth), not per handshake.
      if (unreachableDependencyOf(error)) return next(refusal(UNAVAILABLE_MESSAGE, "unavailable"));
      ctx.log.error({ err: error, socketId: socket.id }, "device handshake failed");
      next(refusal("The hub could not check the device; try again.", "invalid_handshake"));
    }
  };
}
