import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { takeNextCode } from "./hotp-codes.ts";
import { OtpDataFile } from "./otp-data.ts";
import { sampleAccount } from "../test/support/device-account.ts";

// RFC 4226 Appendix D: sampleAccount holds its secret; the values are checked in otp/hotp.test.ts.
const RFC4226_CODES = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];

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
