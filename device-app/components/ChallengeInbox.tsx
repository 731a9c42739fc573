import { Box, Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
import { useState } from "react";
import type { ChallengeOutcome, ClosedNote, InboxChallenge } from "../challenge-inbox.ts";
import { useLatestState } from "../hooks/use-latest-state.ts";
import { ChallengeCard, NUMBER_DIGITS } from "./ChallengeCard.tsx";

export type ActionOutcome = { ok: true } | { ok: false; message: string };

export interface ChallengeInboxProps {
  challenges: InboxChallenge[];
  notes: ClosedNote[];
  now: number;
  onApprove(challenge: InboxChallenge, numberMatch: string): Promise<ActionOutcome>;
  /** `notMe`: "this wasn't me", which also holds the account's pushes for a while. */
  onDeny(challenge: InboxChallenge, notMe: boolean): Promise<ActionOutcome>;
  /** False while another screen owns the keyboard. */
  isActive?: boolean;
}

interface InboxUi {
  selectedId: string | undefined;
  /** The digits typed so far for each request. */
  typed: Record<string, string>;
  /** True while an answer is on its way, so a second key press cannot send a second one. */
  busy: boolean;
}

const OUTCOME_PHRASES: Record<ChallengeOutcome, string> = {
  approved: "was approved",
  denied: "was denied",
  expired: "expired",
  completed: "ended: the client signed in with a code",
  failed: "ended: the client's sign-in was refused (a wrong code)",
  abandoned: "ended: the client gave up or lost its connection",
};

/**
 * Login requests waiting for a decision. The device is never told the number the logging-in
 * screen shows: the person types it here ("verified push"), so approving out of habit, or a
 * request the person did not start, cannot succeed, and a wrong number denies the login.
 */
export function ChallengeInbox({ challenges, notes, now, onApprove, onDeny, isActive = true }: ChallengeInboxProps) {
  const [ui, setUi, latest] = useLatestState<InboxUi>({ selectedId: undefined, typed: {}, busy: false });
  // About one request: it goes with that request, since the note below then says how it ended.
  const [message, setMessage] = useState<{ text: string; error: boolean; challengeId: string } | undefined>(undefined);

  const selectedIn = (state: InboxUi) => challenges.find((challenge) => challenge.challengeId === state.selectedId) ?? challenges[0];
  const selected = selectedIn(ui);

  // A decision that went through is told once, by the request's closing note; only a refusal stays here.
  const decide = async (challengeId: string, action: () => Promise<ActionOutcome>) => {
    setUi((state) => ({ ...state, busy: true }));
    setMessage({ text: "Sending…", error: false, challengeId });
    const outcome = await action();
    setUi((state) => ({ ...state, busy: false }));
    setMessage(outcome.ok ? undefined : { text: outcome.message, error: true, challengeId });
  };

  useKeys(
    (input, key) => {
      const state = latest.current;
      const current = selectedIn(state);
      if (!current || state.busy) return;
      const typed = state.typed[current.challengeId] ?? "";
      const setTyped = (digits: string) => {
        setUi({ ...state, typed: { ...state.typed, [current.challengeId]: digits } });
        setMessage(undefined);
      };
      if (key.tab) {
        const step = key.shift ? challenges.length - 1 : 1;
        setUi({ ...state, selectedId: challenges[(challenges.indexOf(current) + step) % challenges.length]?.challengeId });
        setMessage(undefined);
      } else if (/^[0-9]$/.test(input)) setTyped(typed.length >= NUMBER_DIGITS ? input : typed + input);
      else if (key.backspace || key.delete) setTyped(typed.slice(0, -1));
      else if (input === "a") {
        if (typed.length < NUMBER_DIGITS) return setMessage({ text: "First type the two-digit number shown on the logging-in screen.", error: true, challengeId: current.challengeId });
        void decide(current.challengeId, () => onApprove(current, typed));
      } else if (input === "d") void decide(current.challengeId, () => onDeny(current, false));
      else if (input === "n") void decide(current.challengeId, () => onDeny(current, true));
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      <Text bold>Login requests</Text>
      {challenges.length === 0 ? <Text color="gray">No login requests waiting.</Text> : null}
      {challenges.map((challenge) => (
        <ChallengeCard key={challenge.challengeId} challenge={challenge} now={now} selected={challenge === selected} typed={ui.typed[challenge.challengeId] ?? ""} />
      ))}
      {selected ? (
        <Text color="gray">0-9 type the number · a approve · d deny · n deny: this wasn't me{challenges.length > 1 ? " · Tab next request" : ""}</Text>
      ) : null}
      {message && challenges.some((challenge) => challenge.challengeId === message.challengeId) ? (
        <Text color={message.error ? "red" : "green"}>{message.text}</Text>
      ) : null}
      {notes.map((note) => (
        <Text key={note.challengeId} color="gray">
          {note.username}'s login request {OUTCOME_PHRASES[note.outcome]}.
        </Text>
      ))}
    </Box>
  );
}
