import { describe, expect, it } from "vitest";
import { CLOSED_NOTE_VISIBLE_MS, EMPTY_INBOX, inboxReducer, type InboxState } from "./challenge-inbox.ts";
import type { PendingChallenge } from "./device-link.ts";

const T0 = Date.parse("2026-03-01T10:00:00.000Z");

function pending(challengeId: string, createdOffsetS: number, ttlS = 120): PendingChallenge {
  return {
    challengeId,
    username: "alice",
    client: { name: "laptop", address: null },
    createdAt: new Date(T0 + createdOffsetS * 1000).toISOString(),
    expiresAt: new Date(T0 + (createdOffsetS + ttlS) * 1000).toISOString(),
    newKey: false,
  };
}

const ids = (state: InboxState) => state.challenges.map((challenge) => challenge.challengeId);

describe("the inbox state", () => {
  it("keeps requests oldest first and ignores a push it already has", () => {
    let state = inboxReducer(EMPTY_INBOX, { type: "added", accountId: "a", challenge: pending("late", 10) });
    state = inboxReducer(state, { type: "added", accountId: "a", challenge: pending("early", 0) });
    expect(inboxReducer(state, { type: "added", accountId: "a", challenge: pending("late", 10) })).toBe(state);
    expect(ids(state)).toEqual(["early", "late"]);
  });

  it("takes the hub's list after a reconnect as the truth for that account only", () => {
    let state = inboxReducer(EMPTY_INBOX, { type: "added", accountId: "a", challenge: pending("stale", 0) });
    state = inboxReducer(state, { type: "added", accountId: "b", challenge: pending("other", 1) });
    state = inboxReducer(state, { type: "listed", accountId: "a", challenges: [pending("fresh", 2)] });
    expect(ids(state)).toEqual(["other", "fresh"]);
  });

  it("removes a closed request and leaves a note of its outcome for a few seconds", () => {
    let state = inboxReducer(EMPTY_INBOX, { type: "added", accountId: "a", challenge: pending("one", 0) });
    state = inboxReducer(state, { type: "closed", challengeId: "one", outcome: "approved", at: T0 + 5_000 });
    expect(state).toEqual({ challenges: [], notes: [{ challengeId: "one", username: "alice", outcome: "approved", closedAt: T0 + 5_000 }] });
    expect(inboxReducer(state, { type: "tick", now: T0 + 5_000 + CLOSED_NOTE_VISIBLE_MS - 1 }).notes).toHaveLength(1);
    expect(inboxReducer(state, { type: "tick", now: T0 + 5_000 + CLOSED_NOTE_VISIBLE_MS }).notes).toHaveLength(0);
  });

  it("drops requests past their expiry on the clock tick, noting them as expired", () => {
    let state = inboxReducer(EMPTY_INBOX, { type: "added", accountId: "a", challenge: pending("short", 0, 30) });
    state = inboxReducer(state, { type: "added", accountId: "a", challenge: pending("long", 0, 120) });
    state = inboxReducer(state, { type: "tick", now: T0 + 30_000 });
    expect(ids(state)).toEqual(["long"]);
    expect(state.notes).toEqual([expect.objectContaining({ challengeId: "short", outcome: "expired" })]);
  });

  it("ignores a close for a request it never had", () => {
    expect(inboxReducer(EMPTY_INBOX, { type: "closed", challengeId: "nope", outcome: "denied", at: T0 })).toBe(EMPTY_INBOX);
  });

  it("forgets an account's requests when its device is unpaired", () => {
    const state = inboxReducer(EMPTY_INBOX, { type: "added", accountId: "a", challenge: pending("one", 0) });
    expect(inboxReducer(state, { type: "accountGone", accountId: "a" }).challenges).toEqual([]);
  });
});
