import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { currentTotp, findImportedCodes, takeNextImportedHotp } from "./imported-codes.ts";
import { OTP_DATA_FILE_NAME, OtpDataFile } from "./otp-data.ts";
import { importCodes, parseOtpauthLines } from "./otpauth-import.ts";

/** RFC 6238 Appendix B: the SHA-1 seed "12345678901234567890"; at T = 59 s the 8-digit code is 94287082. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const TOTP_URI = `otpauth://totp/ACME:alice?secret=${RFC_SECRET}&issuer=ACME&digits=8`;
const HOTP_URI = `otpauth://hotp/Example:carol?secret=${RFC_SECRET}&counter=3`;
const NOW = new Date("2026-03-01T10:00:00.000Z");

let folder: string;
let file: OtpDataFile;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-import-"));
  file = new OtpDataFile(join(folder, OTP_DATA_FILE_NAME));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

function parsedCodes(text: string) {
  const parsed = parseOtpauthLines(text, NOW);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.codes;
}

describe("importing otpauth URIs", () => {
  it("reads one URI a line, skipping blank lines and # comments, with the parameters each gives", () => {
    const codes = parsedCodes(`# from my old phone\r\n${TOTP_URI}\n\n  ${HOTP_URI}  \n`);
    expect(codes).toMatchObject([
      { type: "totp", issuer: "ACME", account: "alice", secret: RFC_SECRET, algorithm: "sha1", digits: 8, period: 30, addedAt: NOW.toISOString() },
      { type: "hotp", issuer: "Example", account: "carol", secret: RFC_SECRET, algorithm: "sha1", digits: 6, counter: 3 },
    ]);
  });

  it("refuses the whole lot when one line is wrong, naming each bad line and never its secret", () => {
    const parsed = parseOtpauthLines(`${TOTP_URI}\nhttps://example.com\notpauth://totp/X?secret=ABCDEFGHIJKLMNOP1&digits=9\n`);
    expect(parsed).toEqual({
      ok: false,
      problems: [
        { line: 2, message: "An authenticator key URI starts with otpauth://" },
        { line: 3, message: "The URI's secret parameter is missing, is not base32, or is shorter than 80 bits" },
      ],
    });
  });

  it("saves new codes once: the same service, account and secret again is reported as already there", async () => {
    const first = await importCodes(file, parsedCodes(`${TOTP_URI}\n${HOTP_URI}`));
    expect(first).toMatchObject({ ok: true, added: [{ account: "alice" }, { account: "carol" }], alreadyThere: [] });
    const again = await importCodes(file, parsedCodes(TOTP_URI));
    expect(again).toMatchObject({ ok: true, added: [], alreadyThere: [{ account: "alice" }] });
    expect(JSON.parse(await readFile(file.path, "utf8")).imported).toHaveLength(2);
  });

  it("shows the RFC 6238 code for the time, and the seconds left in its step", async () => {
    const [code] = parsedCodes(TOTP_URI);
    if (code?.type !== "totp") throw new Error("expected a TOTP entry");
    expect(currentTotp(code, 59_000)).toEqual({ code: "94287082", secondsLeft: 1 });
    expect(currentTotp(code, 31_000).secondsLeft).toBe(29);
  });

  it("advances an HOTP entry's counter on disk before giving the code (RFC 4226 counter 3: 969429)", async () => {
    await importCodes(file, parsedCodes(HOTP_URI));
    const read = await file.read();
    const carol = read.ok ? findImportedCodes(read.imported, "example: carol")[0] : undefined;
    expect(carol).toBeDefined();
    expect(await takeNextImportedHotp(file, carol?.id ?? "")).toEqual({ ok: true, code: "969429", counter: 3 });
    expect(await takeNextImportedHotp(file, carol?.id ?? "")).toEqual({ ok: true, code: "338314", counter: 4 });
    expect(JSON.parse(await readFile(file.path, "utf8")).imported[0].counter).toBe(5);
  });
});
