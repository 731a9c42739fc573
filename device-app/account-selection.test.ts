import { describe, expect, it } from "vitest";
import { accountLabel, selectAccount, selectWatchedAccounts } from "./account-selection.ts";
import { sampleAccount } from "../test/support/device-account.ts";

const alice = sampleAccount();
const aliceElsewhere = sampleAccount({ id: "dev_alice_2", hub: "https://hub.example.org:9443" });
const bob = sampleAccount({ id: "dev_bob", username: "bob" });
const gone = sampleAccount({ id: "dev_gone", username: "carol", revokedAt: "2026-02-01T00:00:00.000Z" });

describe("choosing the account a command acts on", () => {
  it("takes the only paired account when none is named", () => {
    expect(selectAccount([alice, gone], undefined)).toBe(alice);
  });

  it("asks for --account when several are paired, listing them", () => {
    expect(() => selectAccount([alice, bob], undefined)).toThrow(/alice@127\.0\.0\.1:8443, bob@127\.0\.0\.1:8443.*--account/);
  });

  it("finds an account by username, by username@host:port, by username@hub address, or by device id", () => {
    expect(selectAccount([alice, bob], "bob")).toBe(bob);
    expect(selectAccount([alice, aliceElsewhere], "alice@hub.example.org:9443")).toBe(aliceElsewhere);
    expect(selectAccount([alice, aliceElsewhere], "alice@https://127.0.0.1:8443")).toBe(alice);
    expect(selectAccount([alice, aliceElsewhere], "dev_alice_2")).toBe(aliceElsewhere);
  });

  it("says when a username is on several hubs", () => {
    expect(() => selectAccount([alice, aliceElsewhere], "alice")).toThrow(/Several accounts match "alice"/);
  });

  it("refuses a revoked account, and says so instead of 'no match'", () => {
    expect(() => selectAccount([alice, gone], "carol")).toThrow(/unpaired/);
  });

  it("prefers the paired account when a name also matches an unpaired one", () => {
    const oldAlice = sampleAccount({ id: "dev_alice_old", hub: "https://hub.example.org:9443", revokedAt: "2026-02-01T00:00:00.000Z" });
    expect(selectAccount([oldAlice, alice], "alice")).toBe(alice);
  });

  it("explains how to pair when there is no account at all", () => {
    expect(() => selectAccount([], undefined)).toThrow(/pairgate-device bind/);
  });

  it("watches every paired account unless one is named", () => {
    expect(selectWatchedAccounts([alice, bob, gone], undefined)).toEqual([alice, bob]);
    expect(selectWatchedAccounts([alice, bob], "bob")).toEqual([bob]);
  });

  it("labels an account as username@host:port", () => {
    expect(accountLabel(aliceElsewhere)).toBe("alice@hub.example.org:9443");
  });
});
