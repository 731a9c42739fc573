import { Box, Text, useInput } from "ink";
import { useState } from "react";
import type { ChallengeOutcome, ClosedNote, InboxChallenge } from "../challenge-inbox.ts";
import { formatTimeLeft } from "../hooks/use-countdown.ts";
import { useLatestState } from "../hooks/use-latest-state.ts";

export type ActionOutcome = { ok: true } | { ok: false; message: string };

export interface ChallengeInboxProps {
  challenges: InboxChallenge[];
  notes: ClosedNote[];
  now: number;
  onApprove(challenge: InboxChallenge, numberMatch: string): Promise<ActionOutcome>;
  onDeny(challenge: InboxChallenge): Promise<ActionOutcome>;
  /** False while another screen owns the keyboard. */
  isActive?: boolean;
}

interface InboxUi {
  selectedId: string | undefined;
  /** The option index picked for each request. */
  picks: Record<string, number>;
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
 * Login requests waiting for a decision. Nothing is picked at first: the person must choose the
 * number the client shows, so that approving out of habit (or a request the person did not start)
 * is not one key press away.
 */
export function ChallengeInbox({ challenges, notes, now, onApprove, onDeny, isActive = true }: ChallengeInboxProps) {
  const [ui, setUi, latest] = useLatestState<InboxUi>({ selectedId: undefined, picks: {}, busy: false });
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

  useInput(
    (input, key) => {
      const state = latest.current;
      const current = selectedIn(state);
      if (!current || state.busy) return;
      const options = current.numberMatchOptions;
      const pick = state.picks[current.challengeId];
      const choose = (index: number) => {
        if (index < 0 || index >= options.length) return;
        setUi({ ...state, picks: { ...state.picks, [current.challengeId]: index } });
        setMessage(undefined);
      };
      if (key.tab) {
        const step = key.shift ? challenges.length - 1 : 1;
        setUi({ ...state, selectedId: challenges[(challenges.indexOf(current) + step) % challenges.length]?.challengeId });
        setMessage(undefined);
      } else if (key.leftArrow) choose(pick === undefined ? 0 : pick - 1);
      else if (key.rightArrow) choose(pick === undefined ? 0 : pick + 1);
      else if (/^[1-9]$/.test(input)) choose(Number(input) - 1);
      else if (input === "a") {
        const number = pick === undefined ? undefined : options[pick];
        if (number === undefined) return setMessage({ text: "First pick the number the client shows (←/→ or 1/2/3).", error: true, challengeId: current.challengeId });
        void decide(current.challengeId, () => onApprove(current, number));
      } else if (input === "d") void decide(current.challengeId, () => onDeny(current));
    },
    { isActive },
  );

  return (
    <Box flexDirection="column">
      <Text bold>Login requests</Text>
      {challenges.length === 0 ? <Text color="gray">No login requests waiting.</Text> : null}
      {challenges.map((challenge) => (
        <ChallengeRow key={challenge.challengeId} challenge={challenge} now={now} selected={challenge === selected} pick={ui.picks[challenge.challengeId]} />
      ))}
      {selected ? <Text color="gray">←/→ or 1/2/3 pick the number · a approve · d deny{challenges.length > 1 ? " · Tab next request" : ""}</Text> : null}
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

interface ChallengeRowProps {
  challenge: InboxChallenge;
  now: number;
  selected: boolean;
  pick: number | undefined;
}

function ChallengeRow({ challenge, now, selected, pick }: ChallengeRowProps) {
  const client = challenge.client.name ? `"${challenge.client.name}"` : "an unnamed client";
  const address = challenge.client.address ?? "an unknown address";
  return (
    <Box flexDirection="column">
      <Text color={selected ? "cyan" : undefined}>
        {selected ? "›" : " "} {challenge.username} is logging in from {client} at {address} · expires in {formatTimeLeft(challenge.expiresAt, now)}
      </Text>
      {selected ? (
        <Box gap={2} paddingLeft={4}>
          <Text>Which number does the client show?</Text>
          {challenge.numberMatchOptions.map((option, index) =>
            index === pick ? (
              <Text key={index} bold inverse color="cyan">
                [{option}]
              </Text>
            ) : (
              <Text key={index}>
                {" "}
                {option}{" "}
              </Text>
            ),
          )}
        </Box>
      ) : null}
    </Box>
  );
}
