import { randomBytes } from "node:crypto";
import { parseOtpauthUri } from "../otp/otpauth-uri.ts";
import { encodeOtpSecret } from "../otp/totp.ts";
import { type ImportedCode, importedCodeLabel, isSameImportedCode } from "./imported-code.ts";
import type { OtpDataFile, OtpDataRead } from "./otp-data.ts";

/** One line that could not be read, by number, with the reason (never the secret). */
export interface ImportLineProblem {
  line: number;
  message: string;
}

export type ParsedImport = { ok: true; codes: ImportedCode[] } | { ok: false; problems: ImportLineProblem[] };

/** What saving an import did: the codes added, and those already there (same secret, service and account). */
export type ImportOutcome = { ok: true; added: ImportedCode[]; alreadyThere: ImportedCode[] } | Extract<OtpDataRead, { ok: false }>;

/**
 * Reads `otpauth://` URIs, one a line (as a file holds them, or as several are pasted at once).
 * Blank lines and `#` comments are skipped. Any unreadable line refuses the whole lot, so that a
 * person fixes it and imports again, rather than wondering which ones made it.
 */
export function parseOtpauthLines(text: string, now = new Date()): ParsedImport {
  const codes: ImportedCode[] = [];
  const problems: ImportLineProblem[] = [];
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const parsed = parseOtpauthUri(line);
    if (!parsed.ok) return problems.push({ line: index + 1, message: parsed.message });
    const { account } = parsed;
    const common = {
      id: `imp_${randomBytes(8).toString("hex")}`,
      issuer: account.issuer,
      account: account.account,
      secret: encodeOtpSecret(account.secret),
      algorithm: account.algorithm,
      digits: account.digits,
      addedAt: now.toISOString(),
    };
    codes.push(account.type === "totp" ? { type: "totp", ...common, period: account.period } : { type: "hotp", ...common, counter: account.counter });
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, codes };
}

/** Adds the codes that are not in the file yet, in one save. */
export async function importCodes(file: OtpDataFile, codes: ImportedCode[]): Promise<ImportOutcome> {
  const added: ImportedCode[] = [];
  const alreadyThere: ImportedCode[] = [];
  const saved = await file.updateImported((imported) => {
    for (const code of codes) {
      if ([...imported, ...added].some((known) => isSameImportedCode(known, code))) alreadyThere.push(code);
      else added.push(code);
    }
    return added.length === 0 ? imported : [...imported, ...added];
  });
  if (!saved.ok) return saved;
  return { ok: true, added, alreadyThere };
}

/** "line 3: The URI's digits must be 6, 7 or 8." for each problem. */
export function describeImportProblems(problems: ImportLineProblem[]): string {
  return problems.map((problem) => `Line ${problem.line}: ${problem.message}.`).join(" ");
}

/** "Imported GitHub: alice, Example: bob. Already here: …" */
export function describeImportOutcome(outcome: Extract<ImportOutcome, { ok: true }>): string {
  const parts: string[] = [];
  if (outcome.added.length > 0) parts.push(`Imported ${outcome.added.map(importedCodeLabel).join(", ")}.`);
  if (outcome.alreadyThere.length > 0) parts.push(`Already here: ${outcome.alreadyThere.map(importedCodeLabel).join(", ")}.`);
  if (parts.length === 0) parts.push("There was no otpauth:// URI to import.");
  return parts.join(" ");
}
