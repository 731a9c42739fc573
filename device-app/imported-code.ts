import { z } from "zod";

/**
 * A code for another service, imported from an `otpauth://` URI (Key Uri Format): TOTP (RFC 6238)
 * or HOTP (RFC 4226). It lives in the same data file as the paired PairGate accounts, under the
 * same protection, but never talks to a hub.
 */
export const importedCodeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("totp"), ...commonFields(), /** Seconds per step (RFC 6238 4.1). */ period: z.int().min(1).max(3600) }),
  z.object({ type: z.literal("hotp"), ...commonFields(), /** The counter of the next code (RFC 4226 5.2). */ counter: z.int().min(0) }),
]);

export type ImportedCode = z.output<typeof importedCodeSchema>;

function commonFields() {
  return {
    /** Ours, random: the Key Uri Format has no identifier, and two services may share a label. */
    id: z.string().min(1),
    /** The service ("GitHub"), from the URI's issuer parameter or its label prefix; null if neither. */
    issuer: z.string().min(1).nullable(),
    /** The account at that service ("alice@example.com"). */
    account: z.string().min(1),
    /** Upper-case base32 without padding. */
    secret: z.string().regex(/^[A-Z2-7]{16,}$/, "Must be an upper-case base32 secret"),
    algorithm: z.enum(["sha1", "sha256", "sha512"]),
    digits: z.int().min(6).max(8),
    addedAt: z.iso.datetime(),
  };
}

/** "GitHub: alice@example.com", as lists and messages name an imported code. */
export function importedCodeLabel(code: Pick<ImportedCode, "issuer" | "account">): string {
  return code.issuer ? `${code.issuer}: ${code.account}` : code.account;
}

/** The same secret for the same service and account: importing it again adds nothing. */
export function isSameImportedCode(a: ImportedCode, b: ImportedCode): boolean {
  return a.secret === b.secret && a.type === b.type && a.issuer === b.issuer && a.account === b.account;
}

/** An imported code as commands show it: never its secret. */
export function publicImportedView(code: ImportedCode) {
  const { id, type, issuer, account, algorithm, digits, addedAt } = code;
  return { id, type, issuer, account, label: importedCodeLabel(code), algorithm, digits, addedAt, ...(code.type === "totp" ? { period: code.period } : { counter: code.counter }) };
}
