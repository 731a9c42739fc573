import { bindingCodeSchema, deviceNameSchema } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import { HubConnectionError } from "../terminal/hub-connection.ts";
import { bindDevice } from "./device-hub.ts";
import { deviceFailures } from "./device-messages.ts";
import { resolveBindTarget } from "./device-settings.ts";
import { type DeviceAccount, describeOtpDataProblem, type OtpDataFile } from "./otp-data.ts";

export interface PairingRequest {
  /** As typed; undefined means the default hub. */
  hub: string | undefined;
  /** A CA file named with --ca; undefined means the usual lookup. */
  ca: string | undefined;
  code: string;
  name: string;
}

/**
 * Pairs a new account: checks the input, sends `device:bind`, and saves what the hub returns.
 * The data file is checked first, because the secret is sent once: a damaged file found
 * after binding would leave a device paired on the hub that this app cannot use.
 */
export async function pairDevice(file: OtpDataFile, request: PairingRequest, now = new Date()): Promise<DeviceAccount> {
  const code = bindingCodeSchema.safeParse(request.code);
  if (!code.success) throw deviceFailures.usage("The binding code must be 8 characters, as XXXX-XXXX, as the client shows it.");
  const name = deviceNameSchema.safeParse(request.name);
  if (!name.success) throw deviceFailures.usage(`The device name is not valid: ${name.error.issues[0]?.message ?? "check it"}.`);
  const before = await file.read();
  if (!before.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(before.problem));

  const target = await resolveBindTarget(request.hub, request.ca);
  const bound = await bindDevice(target, code.data, name.data).catch((error: unknown) => {
    throw error instanceof HubConnectionError ? deviceFailures.connection(error.failure, target.url, target.caFile) : error;
  });
  if (!bound.ok) throw deviceFailures.hubError(bound.error);

  const account: DeviceAccount = {
    id: bound.data.deviceId,
    hub: target.url,
    ca: target.caFile ?? null,
    username: bound.data.username,
    // The hub's name for it, which the client may have chosen with the binding code.
    deviceName: bound.data.name,
    deviceToken: bound.data.deviceToken,
    secret: bound.data.secret.toUpperCase(),
    counter: bound.data.counter,
    digits: bound.data.digits,
    algorithm: bound.data.algorithm,
    addedAt: now.toISOString(),
    revokedAt: null,
  };
  const saved = await file.update((accounts) => [...accounts.filter((known) => known.id !== account.id), account]).catch((error: unknown) => {
    throw unsavedPairing(account, `${error instanceof Error ? error.message : String(error)}.`);
  });
  if (!saved.ok) throw unsavedPairing(account, describeOtpDataProblem(saved.problem));
  return account;
}

function unsavedPairing(account: DeviceAccount, why: string): CliFailure {
  return new CliFailure(
    "not_saved",
    `The hub paired this device for ${account.username}, but it could not be saved: ${why} Unpair the device "${account.deviceName}" with \`pairgate device revoke\` and pair again once the file is fixed.`,
    EXIT_CODES.failure,
  );
}
