import type { DevicePushPayload } from "#protocol";
import type { PendingChallenge } from "./device-link.ts";

/** How long the note "approved" / "expired" stays after a login request leaves the inbox. */
export const CLOSED_NOTE_VISIBLE_MS = 8_000;

export type ChallengeOutcome = DevicePushPayload<"challenge:closed">["outcome"];

/** A pending login, with the account (device) it arrived for. */
export interface InboxChallenge extends PendingChallenge {
  accountId: string;
}

export interface ClosedNote {
  challengeId: string;
  username: string;
  outcome: ChallengeOutcome;
  closedAt: number;
}

export interface InboxState {
  challenges: InboxChallenge[];
  notes: ClosedNote[];
}

export type InboxAction =
  | { type: "listed"; accountId: string; challenges: PendingChallenge[] }
  | { type: "added"; accountId: string; challenge: PendingChallenge }
  | { type: "closed"; challengeId: string; outcome: ChallengeOutcome; at: number }
  | { type: "accountGone"; accountId: string }
  | { type: "tick"; now: number };

export const EMPTY_INBOX: InboxState = { challenges: [], notes: [] };

/**
 * The inbox as a pure reducer. `listed` replaces one account's requests (the hub's list after a
 * reconnect is the truth; ones that vanished meanwhile were closed while offline); `tick` drops
 * requests past their expiry and notes that have been shown long enough.
 */
export function inboxReducer(state: InboxState, action: InboxAction): InboxState {
  switch (action.type) {
    case "listed": {
      const others = state.challenges.filter((challenge) => challenge.accountId !== action.accountId);
      const listed = action.challenges.map((challenge) => ({ ...challenge, accountId: action.accountId }));
      return { ...state, challenges: sortByCreation([...others, ...listed]) };
    }
    case "added": {
      if (state.challenges.some((known) => known.challengeId === action.challenge.challengeId)) return state;
      return { ...state, challenges: sortByCreation([...state.challenges, { ...action.challenge, accountId: action.accountId }]) };
    }
    case "closed":
      return close(state, [action.challengeId], action.outcome, action.at);
    case "accountGone":
      return { ...state, challenges: state.challenges.filter((challenge) => challenge.accountId !== action.accountId) };
    case "tick": {
      const expired = state.challenges.filter((challenge) => Date.parse(challenge.expiresAt) <= action.now).map((c) => c.challengeId);
      const closed = expired.length > 0 ? close(state, expired, "expired", action.now) : state;
      const notes = closed.notes.filter((note) => action.now - note.closedAt < CLOSED_NOTE_VISIBLE_MS);
      return notes.length === closed.notes.length ? closed : { ...closed, notes };
    }
  }
}

function close(state: InboxState, challengeIds: string[], outcome: ChallengeOutcome, at: number): InboxState {
  const leaving = state.challenges.filter((challenge) => challengeIds.includes(challenge.challengeId));
  if (leaving.length === 0) return state;
  return {
    challenges: state.challenges.filter((challenge) => !challengeIds.includes(challenge.challengeId)),
    notes: [...state.notes, ...leaving.map((challenge) => ({ challengeId: challenge.challengeId, username: challenge.username, outcome, closedAt: at }))],
  };
}

function sortByCreation(challenges: InboxChallenge[]): InboxChallenge[] {
  return [...challenges].sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
}
