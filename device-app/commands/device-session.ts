import { HubConnectionError } from "../../terminal/hub-connection.ts";
import { connectDevice, type DeviceCaller } from "../device-hub.ts";
import { deviceFailures } from "../device-messages.ts";
import { accountHubTarget } from "../device-settings.ts";
import type { DeviceAccount } from "../otp-data.ts";

/**
 * Runs `work` on one paired connection of the account, for a one-shot command, and always closes it.
 * A failed connection becomes the CliFailure that words it (with its exit code).
 */
export async function withPairedSocket<T>(account: DeviceAccount, work: (call: DeviceCaller) => Promise<T>): Promise<T> {
  const target = await accountHubTarget(account);
  const asFailure = (error: unknown) => (error instanceof HubConnectionError ? deviceFailures.connection(error.failure, target.url, target.caFile) : error);
  const credentials = { deviceId: account.id, deviceToken: account.deviceToken };
  const connection = await connectDevice(target, credentials).catch((error: unknown) => {
    throw asFailure(error);
  });
  try {
    return await work((event, payload) => connection.call(event, payload));
  } catch (error) {
    throw asFailure(error);
  } finally {
    connection.close();
  }
}
