import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { forgetRevokedAccount, OTP_DATA_FILE_NAME, OtpDataFile, otpDataPath } from "./otp-data.ts";
import { sampleAccount } from "../test/support/device-account.ts";

let folder: string;
let path: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-otp-data-"));
  path = join(folder, "state", OTP_DATA_FILE_NAME);
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("where the data file lives", () => {
  it("is --data when given, else PAIRGATE_DEVICE_DATA, else OTPData.json in the PairGate home", () => {
    expect(otpDataPath("/x/mine.json", { PAIRGATE_DEVICE_DATA: "/y.json" })).toBe("/x/mine.json");
    expect(otpDataPath(undefined, { PAIRGATE_DEVICE_DATA: "/y.json", PAIRGATE_HOME: "/h" })).toBe("/y.json");
    expect(otpDataPath(undefined, { PAIRGATE_HOME: "/h" })).toBe("/h/OTPData.json");
    expect(otpDataPath(undefined, { XDG_CONFIG_HOME: "/c" })).toBe("/c/pairgate/OTPData.json");
  });
});

describe("the data file", () => {
  it("reads as no accounts when it does not exist yet", async () => {
    expect(await new OtpDataFile(path).read()).toEqual({ ok: true, accounts: [], imported: [] });
  });

  it("keeps several hubs and accounts, written 0600 in a 0700 folder", async () => {
    const file = new OtpDataFile(path);
    const alice = sampleAccount();
    const bob = sampleAccount({ id: "dev_bob_1", username: "bob", hub: "https://hub.example.org:9443", ca: "/etc/hub-ca.pem" });
    await file.update((accounts) => [...accounts, alice]);
    await file.update((accounts) => [...accounts, bob]);
    expect(await file.read()).toEqual({ ok: true, accounts: [alice, bob], imported: [] });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, "state"))).mode & 0o777).toBe(0o700);
  });

  it("is replaced in one rename: no temporary or lock file is left behind", async () => {
    const file = new OtpDataFile(path);
    await file.update(() => [sampleAccount()]);
    await file.update((accounts) => accounts.map((account) => ({ ...account, counter: 7 })));
    expect(await readdir(join(folder, "state"))).toEqual([OTP_DATA_FILE_NAME]);
    expect(JSON.parse(await readFile(path, "utf8")).accounts[0].counter).toBe(7);
  });

  it("leaves the old content in place when the write fails", async () => {
    await new OtpDataFile(path).update(() => [sampleAccount()]);
    const failing = new OtpDataFile(path, async () => {
      throw new Error("disk full");
    });
    await expect(failing.update((accounts) => accounts.map((a) => ({ ...a, counter: 1 })))).rejects.toThrow("disk full");
    expect(await new OtpDataFile(path).read()).toEqual({ ok: true, accounts: [sampleAccount()], imported: [] });
  });

  it("reports a file that is not JSON with its path, and keeps it byte for byte", async () => {
    const file = new OtpDataFile(path);
    await file.update(() => [sampleAccount()]);
    const damaged = '{"version":1,"accounts":[{"id":';
    await writeFile(path, damaged);
    const read = await file.read();
    expect(read.ok).toBe(false);
    if (read.ok) return;
    expect(read.problem.path).toBe(path);
    expect(read.problem.reason).toMatch(/not valid JSON/);
    expect(await file.update(() => [])).toEqual(read);
    expect(await readFile(path, "utf8")).toBe(damaged);
  });

  it("reports entries that do not match the schema, naming the field, and refuses to write", async () => {
    const file = new OtpDataFile(path);
    await file.update(() => [sampleAccount()]);
    const content = JSON.stringify({ version: 1, accounts: [{ ...sampleAccount(), counter: -3 }] });
    await writeFile(path, content);
    const read = await file.read();
    expect(read).toMatchObject({ ok: false, problem: { path } });
    if (!read.ok) expect(read.problem.reason).toContain("accounts.0.counter");
    expect((await file.update((accounts) => accounts)).ok).toBe(false);
    expect(await readFile(path, "utf8")).toBe(content);
  });

  it("refuses a CA certificate written where the path of its file belongs, saying which it wants", async () => {
    const file = new OtpDataFile(path);
    await file.update(() => [sampleAccount()]);
    const pem = "-----BEGIN CERTIFICATE-----\nMIIDLTCCAhWgAwIBAgIQ\n-----END CERTIFICATE-----\n";
    await writeFile(path, JSON.stringify({ version: 1, accounts: [{ ...sampleAccount(), ca: pem }] }));
    const read = await file.read();
    expect(read.ok).toBe(false);
    if (!read.ok) {
      expect(read.problem.reason).toContain("accounts.0.ca: Must be the path of the hub's CA file, not the certificate itself");
      expect(read.problem.reason).not.toContain("BEGIN CERTIFICATE");
    }
  });

  it("never puts a secret or a token into a problem report", async () => {
    const file = new OtpDataFile(path);
    await file.update(() => [sampleAccount()]);
    await writeFile(path, JSON.stringify({ version: 1, accounts: [{ ...sampleAccount(), secret: "not base32!", deviceToken: 5 }] }));
    const read = await file.read();
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.problem.reason).not.toMatch(/not base32!|device-token/);
  });
});

describe("forgetting an account", () => {
  it("removes an account its hub unpaired, and never a paired one", async () => {
    const file = new OtpDataFile(path);
    const live = sampleAccount();
    const gone = sampleAccount({ id: "dev_gone", username: "gone", revokedAt: "2026-02-01T00:00:00.000Z" });
    await file.update(() => [live, gone]);

    expect(await forgetRevokedAccount(file, live.id)).toEqual({ ok: true, accounts: [live, gone], imported: [] });
    expect(await forgetRevokedAccount(file, gone.id)).toEqual({ ok: true, accounts: [live], imported: [] });
    expect(await file.read()).toEqual({ ok: true, accounts: [live], imported: [] });
  });
});
