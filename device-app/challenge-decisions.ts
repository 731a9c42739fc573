import type { Ack } from "#protocol";
import type { CliFailure } from "../terminal/cli-failure.ts";
import { HubConnectionError } from "../terminal/hub-connection.ts";
import type { DeviceCaller } from "./device-hub.ts";
import { deviceFailures } from "./device-messages.ts";
import { takeNextCode } from "./hotp-codes.ts";
import type { DeviceAccount, OtpDataFile } from "./otp-data.ts";

export type DecisionResult = { ok: true } | { ok: false; failure: CliFailure };

/**
 * Approves a login with this device's next code (its counter saved first) and the number the
 * person picked. A code spent on a refused approval is not reused: the hub's look-ahead window
 * covers the gap.
 */
export async function approveChallenge(
  file: OtpDataFile,
  account: DeviceAccount,
  call: DeviceCaller,
  challengeId: string,
  numberMatch: string,
): Promise<DecisionResult> {
  const taken = await takeNextCode(file, account);
  if (!taken.ok) return { ok: false, failure: deviceFailures.takeCode(taken) };
  return answer(account, () => call("challenge:approve", { challengeId, otp: taken.code, numberMatch }));
}

export async function denyChallenge(account: DeviceAccount, call: DeviceCaller, challengeId: string): Promise<DecisionResult> {
  return answer(account, () => call("challenge:deny", { challengeId }));
}

async function answer(account: DeviceAccount, send: () => Promise<Ack<unknown>>): Promise<DecisionResult> {
  try {
    const ack = await send();
    return ack.ok ? { ok: true } : { ok: false, failure: deviceFailures.hubError(ack.error) };
  } catch (error) {
    if (!(error instanceof HubConnectionError)) throw error;
    return { ok: false, failure: deviceFailures.connection(error.failure, account.hub, account.ca ?? undefined) };
  }
}
