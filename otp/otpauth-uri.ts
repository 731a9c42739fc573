import { decodeOtpSecret, encodeOtpSecret, TOTP_DEFAULT_ALGORITHM, TOTP_DEFAULT_DIGITS, TOTP_DEFAULT_PERIOD_SECONDS, type OtpAlgorithm } from "./totp.ts";

/**
 * otpauth:// URIs, the Key Uri Format every authenticator app reads from a QR code:
 *
 *     otpauth://totp/PairGate:alice?secret=JBSW...&issuer=PairGate&algorithm=SHA1&digits=6&period=30
 *     otpauth://hotp/PairGate:alice?secret=JBSW...&issuer=PairGate&algorithm=SHA1&digits=6&counter=0
 *
 * Formatting misuse throws a TypeError; a URI that cannot be read is an answer, a value with a
 * message fit to show the person who pasted it. No message ever quotes the secret.
 */

export type OtpauthType = "totp" | "hotp";

export interface OtpauthAccount {
  type: OtpauthType;
  /** Who issued the key ("PairGate", "GitHub"); null when the URI names none. */
  issuer: string | null;
  /** The account at that issuer: a username or an address. */
  account: string;
  /** The key's bytes. */
  secret: Uint8Array;
  algorithm: OtpAlgorithm;
  digits: number;
  /** Seconds per step; TOTP only (30 for HOTP, where it means nothing). */
  period: number;
  /** The next counter value; HOTP only (0 for TOTP, where it means nothing). */
  counter: number;
}

export type OtpauthParseError =
  | "not_otpauth"
  | "bad_type"
  | "bad_label"
  | "bad_secret"
  | "bad_algorithm"
  | "bad_digits"
  | "bad_period"
  | "bad_counter"
  | "issuer_mismatch"
  | "duplicate_parameter";

export type OtpauthParse = { ok: true; account: OtpauthAccount } | { ok: false; error: OtpauthParseError; message: string };

/** Longer than any real key URI; a bound on what a paste or a file can make us decode. */
export const OTPAUTH_URI_MAX_LENGTH = 2048;
const ALGORITHM_NAMES: Record<string, OtpAlgorithm> = { SHA1: "sha1", SHA256: "sha256", SHA512: "sha512" };
const KNOWN_PARAMETERS = ["secret", "issuer", "algorithm", "digits", "period", "counter"];

/** The URI for `account`; throws a TypeError on an issuer with a colon or an empty name. */
export function formatOtpauthUri(account: OtpauthAccount): string {
  if (account.type !== "totp" && account.type !== "hotp") throw new TypeError(`An otpauth type must be totp or hotp, got ${String(account.type)}`);
  if (account.account.trim() === "") throw new TypeError("An otpauth account name must not be empty");
  if (account.issuer !== null && (account.issuer.trim() === "" || account.issuer.includes(":"))) {
    throw new TypeError("An otpauth issuer must be non-empty and without a colon (the colon separates it from the account)");
  }
  const label = account.issuer === null ? encodeURIComponent(account.account) : `${encodeURIComponent(account.issuer)}:${encodeURIComponent(account.account)}`;
  const parameters: Array<[string, string]> = [["secret", encodeOtpSecret(account.secret)]];
  if (account.issuer !== null) parameters.push(["issuer", account.issuer]);
  parameters.push(["algorithm", account.algorithm.toUpperCase()], ["digits", String(account.digits)]);
  parameters.push(account.type === "totp" ? ["period", String(account.period)] : ["counter", String(account.counter)]);
  const query = parameters.map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join("&");
  return `otpauth://${account.type}/${label}?${query}`;
}

/** The account a URI describes, or why it cannot be read. */
export function parseOtpauthUri(text: string): OtpauthParse {
  if (typeof text !== "string" || text.length > OTPAUTH_URI_MAX_LENGTH) return failure("not_otpauth", `An otpauth URI is text of at most ${OTPAUTH_URI_MAX_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return failure("not_otpauth", "This is not a URI; an authenticator key URI starts with otpauth://");
  }
  if (url.protocol !== "otpauth:") return failure("not_otpauth", "An authenticator key URI starts with otpauth://");
  const type = url.hostname.toLowerCase();
  if (type !== "totp" && type !== "hotp") return failure("bad_type", "The URI's type must be totp or hotp (otpauth://totp/... or otpauth://hotp/...)");
  for (const name of KNOWN_PARAMETERS) {
    if (url.searchParams.getAll(name).length > 1) return failure("duplicate_parameter", `The URI gives the ${name} parameter more than once`);
  }
  return readAccount(type, url);
}

function readAccount(type: OtpauthType, url: URL): OtpauthParse {
  const label = readLabel(url.pathname);
  if (label === null) return failure("bad_label", "The URI has no account name after otpauth://" + type + "/");
  const parameterIssuer = url.searchParams.get("issuer");
  if (parameterIssuer !== null && label.issuer !== null && parameterIssuer !== label.issuer) {
    return failure("issuer_mismatch", `The issuer in the label ("${label.issuer}") differs from the issuer parameter ("${parameterIssuer}")`);
  }
  const secret = readSecret(url.searchParams.get("secret"));
  if (secret === null) return failure("bad_secret", "The URI's secret parameter is missing, is not base32, or is shorter than 80 bits");
  const algorithmText = url.searchParams.get("algorithm");
  const algorithm = algorithmText === null ? TOTP_DEFAULT_ALGORITHM : ALGORITHM_NAMES[algorithmText.toUpperCase()];
  if (algorithm === undefined) return failure("bad_algorithm", "The URI's algorithm must be SHA1, SHA256 or SHA512");
  const digits = readInteger(url.searchParams.get("digits"), TOTP_DEFAULT_DIGITS);
  if (digits === null || digits < 6 || digits > 8) return failure("bad_digits", "The URI's digits must be 6, 7 or 8");
  const period = type === "totp" ? readInteger(url.searchParams.get("period"), TOTP_DEFAULT_PERIOD_SECONDS) : TOTP_DEFAULT_PERIOD_SECONDS;
  if (period === null || period < 1 || period > 3600) return failure("bad_period", "The URI's period must be 1 to 3600 seconds");
  const counter = type === "hotp" ? readInteger(url.searchParams.get("counter"), null) : 0;
  if (counter === null) return failure("bad_counter", "An hotp URI must give its counter as a non-negative whole number");
  const issuer = parameterIssuer ?? label.issuer;
  return { ok: true, account: { type, issuer: issuer === "" ? null : issuer, account: label.account, secret, algorithm, digits, period, counter } };
}

/** "Issuer:account", "Issuer%3Aaccount" or "account"; spaces after the colon are allowed by the format. */
function readLabel(pathname: string): { issuer: string | null; account: string } | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname.replace(/^\//, ""));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  const issuer = colon === -1 ? null : decoded.slice(0, colon).trim();
  const account = (colon === -1 ? decoded : decoded.slice(colon + 1)).trim();
  if (account === "") return null;
  return { issuer: issuer === "" ? null : issuer, account };
}

function readSecret(text: string | null): Uint8Array | null {
  if (text === null) return null;
  try {
    return decodeOtpSecret(text);
  } catch {
    return null;
  }
}

/** A non-negative safe integer in plain decimal, `fallback` when absent, null when unreadable. */
function readInteger(text: string | null, fallback: number | null): number | null {
  if (text === null) return fallback;
  if (!/^\d{1,15}$/.test(text)) return null;
  return Number(text);
}

function failure(error: OtpauthParseError, message: string): OtpauthParse {
  return { ok: false, error, message };
}
