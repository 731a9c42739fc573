import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScureBase32Plugin } from "otplib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { hotpCode, takeNextCode } from "./hotp-codes.ts";
import { OtpDataFile } from "./otp-data.ts";
import { RFC4226_SECRET_BASE32, sampleAccount } from "../test/support/device-account.ts";

// RFC 4226 Appendix D: secret "12345678901234567890", counters 0 to 9.
const RFC4226_CODES = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
const RFC4226_SECRET_HEX = Buffer.from("12345678901234567890", "ascii").toString("hex");

/** oathtool (Debian package oath-toolkit) is the reference implementation the codes must match. */
function oathtoolHotp(secretHex: string, counter: number): string {
  try {
    return execFileSync("oathtool", ["--hotp", secretHex, "-c", String(counter)], { encoding: "utf8" }).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new Error("oathtool is not installed: these tests compare against it. Install it with `apt-get install -y oath-toolkit`.");
    }
    throw error;
  }
}

describe("HOTP codes", () => {
  it("match the RFC 4226 Appendix D test values", () => {
    expect(RFC4226_CODES.map((_, counter) => hotpCode(RFC4226_SECRET_BASE32, counter))).toEqual(RFC4226_CODES);
  });

  it("match oathtool for counters 0 to 20, with the RFC secret and a fresh random one", () => {
    const random = randomBytes(20);
    const randomBase32 = new ScureBase32Plugin().encode(random);
    for (let counter = 0; counter <= 20; counter++) {
      expect(hotpCode(RFC4226_SECRET_BASE32, counter), `counter ${counter}`).toBe(oathtoolHotp(RFC4226_SECRET_HEX, counter));
      expect(hotpCode(randomBase32, counter), `random secret, counter ${counter}`).toBe(oathtoolHotp(random.toString("hex"), counter));
    }
  });

  it("refuse a negative or fractional counter as a programming error", () => {
    expect(() => hotpCode(RFC4226_SECRET_BASE32, -1)).toThrow(RangeError);
    expect(() => hotpCode(RFC4226_SECRET_BASE32, 1.5)).toThrow(RangeError);
  });
});

describe("taking the next code", () => {
  let folder: string;
  let path: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), "pairgate-hotp-"));
    path = join(folder, "OTPData.json");
    await new OtpDataFile(path).update(() => [sampleAccount({ counter: 3 })]);
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it("gives the code of the saved counter and leaves the next counter on disk", async () => {
    const taken = await takeNextCode(new OtpDataFile(path), sampleAccount());
    expect(taken).toEqual({ ok: true, code: RFC4226_CODES[3], counter: 3 });
    expect(JSON.parse(await readFile(path, "utf8")).accounts[0].counter).toBe(4);
    expect(await takeNextCode(new OtpDataFile(path), sampleAccount())).toEqual({ ok: true, code: RFC4226_CODES[4], counter: 4 });
  });

  it("saves the advanced counter before the code exists, and shows no code when saving fails", async () => {
    const writes: number[] = [];
    const recording = new OtpDataFile(path, async (_path, content) => {
      writes.push(JSON.parse(content).accounts[0].counter);
    });
    const taken = await takeNextCode(recording, sampleAccount());
    expect(writes).toEqual([4]);
    expect(taken.ok).toBe(true);

    const failing = new OtpDataFile(path, async () => {
      throw new Error("EIO: disk gone");
    });
    await expect(takeNextCode(failing, sampleAccount())).rejects.toThrow("EIO");
  });

  it("never hands out one counter twice, even when asked concurrently by two writers", async () => {
    const takes = await Promise.all(Array.from({ length: 8 }, () => takeNextCode(new OtpDataFile(path), sampleAccount())));
    const counters = takes.map((taken) => (taken.ok ? taken.counter : -1)).sort((a, b) => a - b);
    expect(counters).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
    expect(JSON.parse(await readFile(path, "utf8")).accounts[0].counter).toBe(11);
  });

  it("refuses a revoked or unknown account without touching the counter", async () => {
    await new OtpDataFile(path).update((accounts) => [...accounts, sampleAccount({ id: "dev_gone", revokedAt: "2026-02-01T00:00:00.000Z" })]);
    expect(await takeNextCode(new OtpDataFile(path), { id: "dev_gone" })).toEqual({ ok: false, reason: "revoked" });
    expect(await takeNextCode(new OtpDataFile(path), { id: "nobody" })).toEqual({ ok: false, reason: "not_found" });
    expect(JSON.parse(await readFile(path, "utf8")).accounts[0].counter).toBe(3);
  });
});
