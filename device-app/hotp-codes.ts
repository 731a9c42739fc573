import { generateHotp } from "#otp";
import type { DeviceAccount, OtpDataFile, OtpDataProblem } from "./otp-data.ts";

export type TakenCode =
  /** `counter` is the one the code was made from; the file now holds counter + 1. */
  | { ok: true; code: string; counter: number }
  | { ok: false; reason: "data_problem"; problem: OtpDataProblem }
  | { ok: false; reason: "not_found" | "revoked" };

/**
 * The account's next code. The counter is advanced and the file saved BEFORE the code is
 * computed, so a crash between the two can skip a code (the hub's look-ahead window absorbs
 * that, RFC 4226 7.4) but never shows the same code twice.
 */
export async function takeNextCode(file: OtpDataFile, account: Pick<DeviceAccount, "id">): Promise<TakenCode> {
  let taken: DeviceAccount | undefined;
  let refusal: "not_found" | "revoked" | undefined;
  const saved = await file.update((accounts) => {
    const current = accounts.find((candidate) => candidate.id === account.id);
    if (!current) refusal = "not_found";
    else if (current.revokedAt) refusal = "revoked";
    if (refusal || !current) return accounts;
    taken = current;
    return accounts.map((candidate) => (candidate === current ? { ...current, counter: current.counter + 1 } : candidate));
  });
  if (!saved.ok) return { ok: false, reason: "data_problem", problem: saved.problem };
  if (refusal || !taken) return { ok: false, reason: refusal ?? "not_found" };
  return { ok: true, code: generateHotp(taken.secret, taken.counter, { digits: taken.digits }), counter: taken.counter };
}
