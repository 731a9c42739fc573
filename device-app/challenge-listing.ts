import type { DevicePushPayload } from "#protocol";

/** A login waiting for the person's decision, as `challenge:new` and `challenge:list` carry it. */
type PendingChallenge = DevicePushPayload<"challenge:new">;

/**
 * The pushes heard while a `challenge:list` call is on its way. The hub reads the list from its
 * database and may push `challenge:new` or `challenge:closed` for the same account before the
 * list's ack arrives; the list alone would then drop a request just shown, or bring back one
 * already closed.
 */
export interface HeardWhileListing {
  added: PendingChallenge[];
  closedIds: Set<string>;
}

export function nothingHeard(): HeardWhileListing {
  return { added: [], closedIds: new Set() };
}

/** The hub's list, corrected by the pushes that overtook it. */
export function settleListing(listed: PendingChallenge[], heard: HeardWhileListing): PendingChallenge[] {
  const listedIds = new Set(listed.map((challenge) => challenge.challengeId));
  const overtaking = heard.added.filter((challenge) => !listedIds.has(challenge.challengeId));
  return [...listed, ...overtaking].filter((challenge) => !heard.closedIds.has(challenge.challengeId));
}
