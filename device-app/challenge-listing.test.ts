import { describe, expect, it } from "vitest";
import { nothingHeard, settleListing } from "./challenge-listing.ts";
import type { DevicePushPayload } from "#protocol";

type PendingChallenge = DevicePushPayload<"challenge:new">;

function pending(challengeId: string): PendingChallenge {
  return {
    challengeId,
    username: "alice",
    client: { name: "laptop", address: null },
    createdAt: "2026-03-01T10:00:00.000Z",
    expiresAt: "2026-03-01T10:02:00.000Z",
    newKey: false,
  };
}

const ids = (challenges: PendingChallenge[]) => challenges.map((challenge) => challenge.challengeId);

describe("the hub's list of pending logins, settled against the pushes that overtook it", () => {
  it("is taken as it is when nothing was pushed meanwhile", () => {
    expect(ids(settleListing([pending("a"), pending("b")], nothingHeard()))).toEqual(["a", "b"]);
  });

  it("keeps a request pushed while the list was on its way, which the list was read too early to hold", () => {
    const heard = nothingHeard();
    heard.added.push(pending("new"));
    expect(ids(settleListing([], heard))).toEqual(["new"]);
    expect(ids(settleListing([pending("new")], heard))).toEqual(["new"]);
  });

  it("leaves out a request closed while the list was on its way", () => {
    const heard = nothingHeard();
    heard.added.push(pending("brief"));
    heard.closedIds.add("listed").add("brief");
    expect(ids(settleListing([pending("listed"), pending("kept")], heard))).toEqual(["kept"]);
  });
});
