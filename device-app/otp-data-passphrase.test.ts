import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { RFC4226_SECRET_BASE32, sampleAccount } from "../test/support/device-account.ts";
import { OTP_DATA_FILE_NAME, OtpDataFile } from "./otp-data.ts";
import { deriveNewSealKey } from "./sealed-data.ts";

// The smallest cost a file may name keeps these tests quick; the CLI's tests use the default.
const QUICK = { N: 2 ** 14, r: 8, p: 1 };
let folder: string;
let path: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-otp-sealed-"));
  path = join(folder, OTP_DATA_FILE_NAME);
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function sealedFile(passphrase = "violet ember canyon") {
  const file = new OtpDataFile(path);
  await file.update(() => [sampleAccount()]);
  await file.reseal(await deriveNewSealKey(passphrase, QUICK));
  return file;
}

describe("a data file sealed with a passphrase", () => {
  it("holds neither the secret nor the token in clear", async () => {
    await sealedFile();
    const bytes = await readFile(path, "utf8");
    expect(bytes).not.toContain(RFC4226_SECRET_BASE32);
    expect(bytes).not.toContain(sampleAccount().deviceToken);
    expect(bytes).not.toContain("alice");
  });

  it("is locked for a new process until the right passphrase is given", async () => {
    await sealedFile();
    const later = new OtpDataFile(path);
    expect(await later.read()).toEqual({ ok: false, problem: { path, reason: "is protected by a passphrase", locked: true } });
    expect(await later.protection()).toEqual({ ok: true, sealed: true, unlocked: false });
    expect(await later.unlock("violet ember canyon")).toEqual({ ok: true });
    expect(await later.read()).toEqual({ ok: true, accounts: [sampleAccount()], imported: [] });
  });

  it("refuses a wrong passphrase without writing a byte, and stays locked", async () => {
    await sealedFile();
    const before = await readFile(path);
    const writes: string[] = [];
    const later = new OtpDataFile(path, async (_path, content) => void writes.push(content));
    expect(await later.unlock("violet ember canyoN")).toEqual({ ok: false, reason: "wrong_passphrase" });
    expect((await later.update((accounts) => accounts.map((a) => ({ ...a, counter: 9 })))).ok).toBe(false);
    expect(writes).toEqual([]);
    expect(await readFile(path)).toEqual(before);
  });

  it("stays sealed through every save, with a fresh nonce each time", async () => {
    const file = await sealedFile();
    const first = JSON.parse(await readFile(path, "utf8"));
    await file.update((accounts) => accounts.map((account) => ({ ...account, counter: 5 })));
    const second = JSON.parse(await readFile(path, "utf8"));
    expect(second.format).toBe("pairgate-sealed-otp-data");
    expect(second.kdf).toEqual(first.kdf);
    expect(second.cipher.nonce).not.toBe(first.cipher.nonce);
    const later = new OtpDataFile(path);
    await later.unlock("violet ember canyon");
    expect(await later.read()).toMatchObject({ ok: true, accounts: [{ counter: 5 }] });
  });

  it("keeps the sealed content when a write fails halfway, and leaves no temporary file", async () => {
    const file = await sealedFile();
    const before = await readFile(path);
    const failing = new OtpDataFile(path, async () => {
      throw new Error("disk full");
    });
    await failing.unlock("violet ember canyon");
    await expect(failing.update((accounts) => accounts.map((a) => ({ ...a, counter: 1 })))).rejects.toThrow("disk full");
    expect(await readFile(path)).toEqual(before);
    expect(await readdir(folder)).toEqual([OTP_DATA_FILE_NAME]);
    expect(await file.read()).toMatchObject({ ok: true, accounts: [{ counter: 0 }] });
  });

  it("changes passphrase and goes back to plain JSON when the passphrase is removed", async () => {
    const file = await sealedFile();
    await file.reseal(await deriveNewSealKey("a brand new passphrase", QUICK));
    const later = new OtpDataFile(path);
    expect(await later.unlock("violet ember canyon")).toEqual({ ok: false, reason: "wrong_passphrase" });
    expect(await later.unlock("a brand new passphrase")).toEqual({ ok: true });
    await later.reseal(null);
    expect(JSON.parse(await readFile(path, "utf8"))).toEqual({ version: 1, accounts: [sampleAccount()] });
    expect(await new OtpDataFile(path).read()).toEqual({ ok: true, accounts: [sampleAccount()], imported: [] });
  });

  it("tells a process whose passphrase was changed elsewhere to start again, without writing", async () => {
    const first = await sealedFile();
    const second = new OtpDataFile(path);
    await second.unlock("violet ember canyon");
    await second.reseal(await deriveNewSealKey("changed in another window", QUICK));
    const before = await readFile(path);
    const saved = await first.update((accounts) => accounts.map((a) => ({ ...a, counter: 3 })));
    expect(saved).toMatchObject({ ok: false, problem: { reason: expect.stringContaining("sealed with another passphrase") } });
    expect(await readFile(path)).toEqual(before);
  });
});
