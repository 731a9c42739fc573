import { asCliFailure } from "../terminal/cli-failure.ts";
import type { ImportedCode } from "./imported-code.ts";
import { takeNextImportedHotp } from "./imported-codes.ts";
import { describeOtpDataProblem, type OtpDataFile } from "./otp-data.ts";
import { describeImportOutcome, describeImportProblems, importCodes, parseOtpauthLines } from "./otpauth-import.ts";

/** What the app's screens are told: done, with a sentence, or not, with the reason. */
export type ActionResult = { ok: true; message: string } | { ok: false; message: string };
export type CodeResult = { ok: true; code: string; counter: number } | { ok: false; message: string };

/** Imports pasted otpauth:// URIs and re-reads the file, for the import screen. */
export async function importText(file: OtpDataFile, text: string, reload: () => Promise<void>): Promise<ActionResult> {
  const parsed = parseOtpauthLines(text);
  if (!parsed.ok) return { ok: false, message: `Nothing was imported. ${describeImportProblems(parsed.problems)}` };
  try {
    const outcome = await importCodes(file, parsed.codes);
    await reload();
    return outcome.ok ? { ok: true, message: describeImportOutcome(outcome) } : { ok: false, message: describeOtpDataProblem(outcome.problem) };
  } catch (error) {
    return { ok: false, message: asCliFailure(error).message };
  }
}

/** An imported HOTP entry's next code, its counter saved first. */
export async function takeImportedCode(file: OtpDataFile, code: ImportedCode, reload: () => Promise<void>): Promise<CodeResult> {
  try {
    const taken = await takeNextImportedHotp(file, code.id);
    await reload();
    if (taken.ok) return taken;
    return { ok: false, message: taken.reason === "data_problem" ? describeOtpDataProblem(taken.problem) : "This code is no longer in the data file." };
  } catch (error) {
    return { ok: false, message: asCliFailure(error).message };
  }
}

export async function forgetImportedCode(file: OtpDataFile, code: ImportedCode, reload: () => Promise<void>): Promise<{ ok: true } | { ok: false; message: string }> {
  try {
    const saved = await file.updateImported((all) => all.filter((known) => known.id !== code.id));
    await reload();
    return saved.ok ? { ok: true } : { ok: false, message: describeOtpDataProblem(saved.problem) };
  } catch (error) {
    return { ok: false, message: asCliFailure(error).message };
  }
}
