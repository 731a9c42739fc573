import { generateOtpAtCounter, generateTotp, totpSecondsLeft } from "../otp/totp.ts";
import type { ImportedCode } from "./imported-code.ts";
import type { OtpDataFile, OtpDataProblem } from "./otp-data.ts";

type ImportedTotp = Extract<ImportedCode, { type: "totp" }>;

/** The code a TOTP entry shows now, and the whole seconds it has left (the countdown). */
export function currentTotp(code: ImportedTotp, nowMs: number): { code: string; secondsLeft: number } {
  return {
    code: generateTotp(code.secret, nowMs, { algorithm: code.algorithm, digits: code.digits, period: code.period }),
    secondsLeft: totpSecondsLeft(nowMs, code.period),
  };
}

export type TakenImportedCode =
  | { ok: true; code: string; counter: number }
  | { ok: false; reason: "data_problem"; problem: OtpDataProblem }
  | { ok: false; reason: "not_found" | "not_hotp" };

/**
 * An imported HOTP entry's next code. As for paired accounts, the counter is saved BEFORE the
 * code is made, so a crash can skip a code (the service's look-ahead absorbs it) but never
 * show one twice.
 */
export async function takeNextImportedHotp(file: OtpDataFile, id: string): Promise<TakenImportedCode> {
  let taken: Extract<ImportedCode, { type: "hotp" }> | undefined;
  let refusal: "not_found" | "not_hotp" | undefined;
  const saved = await file.updateImported((imported) => {
    const current = imported.find((candidate) => candidate.id === id);
    if (!current) refusal = "not_found";
    else if (current.type !== "hotp") refusal = "not_hotp";
    if (refusal || current?.type !== "hotp") return imported;
    taken = current;
    return imported.map((candidate) => (candidate === current ? { ...current, counter: current.counter + 1 } : candidate));
  });
  if (!saved.ok) return { ok: false, reason: "data_problem", problem: saved.problem };
  if (refusal || !taken) return { ok: false, reason: refusal ?? "not_found" };
  return { ok: true, code: generateOtpAtCounter(taken.secret, taken.counter, { algorithm: taken.algorithm, digits: taken.digits }), counter: taken.counter };
}

/** The entries a name picks: its id, "Issuer: account", the issuer, or the account, case aside. */
export function findImportedCodes(imported: ImportedCode[], name: string): ImportedCode[] {
  const wanted = name.trim().toLowerCase();
  const byId = imported.filter((code) => code.id === name.trim());
  if (byId.length > 0) return byId;
  const byLabel = imported.filter((code) => `${code.issuer ?? ""}: ${code.account}`.toLowerCase() === wanted || `${code.issuer ?? ""}:${code.account}`.toLowerCase() === wanted);
  if (byLabel.length > 0) return byLabel;
  return imported.filter((code) => code.issuer?.toLowerCase() === wanted || code.account.toLowerCase() === wanted);
}
