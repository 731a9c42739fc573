import type { Ack } from "#protocol";
import type { CliFailure } from "../terminal/cli-failure.ts";
import { HubConnectionError } from "../terminal/hub-connection.ts";
import type { DeviceCaller } from "./device-hub.ts";
import { deviceFailures } from "./device-messages.ts";
import { takeNextCode } from "./hotp-codes.ts";
import type { DeviceAccount, OtpDataFile } from "./otp-data.ts";

export type DecisionResult = { ok: true; pushesHeldUntil?: string } | { ok: false; failure: CliFailure };

/**
 * Approves a login with this device's next code (its counter saved first) and the number the
 * person typed, read off the logging-in screen. A code spent on a refused approval is not reused: the hub's look-ahead window
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

/** Refuses a login; `notMe` reports it as "this wasn't me", which holds the account's pushes for a while. */
export async function denyChallenge(account: DeviceAccount, call: DeviceCaller, challengeId: string, notMe = false): Promise<DecisionResult> {
  return answer(account, () => call("challenge:deny", { challengeId, ...(notMe ? { reason: "not-me" as const } : {}) }));
}

async function answer(account: DeviceAccount, send: () => Promise<Ack<{ pushesHeldUntil?: string | undefined } | { approved: true }>>): Promise<DecisionResult> {
  try {
    const ack = await send();
    if (!ack.ok) return { ok: false, failure: deviceFailures.hubError(ack.error) };
    return "pushesHeldUntil" in ack.data && ack.data.pushesHeldUntil ? { ok: true, pushesHeldUntil: ack.data.pushesHeldUntil } : { ok: true };
  } catch (error) {
    if (!(error instanceof HubConnectionError)) throw error;
    return { ok: false, failure: deviceFailures.connection(error.failure, account.hub, account.ca ?? undefined) };
  }
}
