import { Box, Text, useInput } from "ink";
import { useState } from "react";
import type { ClosedNote, InboxChallenge } from "../challenge-inbox.ts";
import type { LinkStatus } from "../device-link.ts";
import type { DeviceAccount } from "../otp-data.ts";
import { useLatestState } from "../hooks/use-latest-state.ts";
import { AccountList } from "./AccountList.tsx";
import { type ActionOutcome, ChallengeInbox } from "./ChallengeInbox.tsx";
import { CodeView, type ShownCode } from "./CodeView.tsx";

export type CodeOutcome = { ok: true; code: string; counter: number } | { ok: false; message: string };

export interface AccountsScreenProps {
  accounts: DeviceAccount[];
  statuses: Record<string, LinkStatus>;
  challenges: InboxChallenge[];
  notes: ClosedNote[];
  now: number;
  /** One line at the top: "Paired alice @ …", a security notice, a problem. */
  banner?: string | undefined;
  onTakeCode(account: DeviceAccount): Promise<CodeOutcome>;
  onApprove(challenge: InboxChallenge, numberMatch: string): Promise<ActionOutcome>;
  onDeny(challenge: InboxChallenge, notMe: boolean): Promise<ActionOutcome>;
  onPair(): void;
  /** Removes an account the hub has unpaired; says why not otherwise. */
  onForget(account: DeviceAccount): Promise<{ ok: true } | { ok: false; message: string }>;
  onQuit(): void;
}

/** The home screen: accounts with their connection, the next code on request, and the inbox. */
export function AccountsScreen(props: AccountsScreenProps) {
  const { accounts, statuses, now } = props;
  const [selectedId, setSelectedId, latestSelectedId] = useLatestState(accounts[0]?.id);
  const [shown, setShown] = useState<ShownCode | undefined>(undefined);
  const [, setTaking, taking] = useLatestState(false);
  const indexOf = (id: string | undefined) => Math.max(0, accounts.findIndex((account) => account.id === id));
  const selected = accounts[indexOf(selectedId)];

  const select = (index: number) => {
    const next = accounts[Math.min(accounts.length - 1, Math.max(0, index))];
    if (next && next.id !== latestSelectedId.current) setShown(undefined);
    setSelectedId(next?.id);
  };

  const showNextCode = async (account: DeviceAccount) => {
    setTaking(true);
    const label = `${account.username} @ ${account.hub}`;
    const outcome = await props.onTakeCode(account);
    setTaking(false);
    setShown(outcome.ok ? { label, code: outcome.code, counter: outcome.counter } : { label, error: outcome.message });
  };

  const [removal, setRemoval] = useState<string | undefined>(undefined);
  const forget = async (account: DeviceAccount) => {
    const label = `${account.username} @ ${account.hub}`;
    if (!account.revokedAt) {
      setRemoval(`${label} is still paired, so it stays: its secret is nowhere else. Unpair it from the client first (pairgate device revoke).`);
      return;
    }
    const outcome = await props.onForget(account);
    setShown(undefined);
    setRemoval(outcome.ok ? `Removed ${label}, which its hub had unpaired.` : `${label} was not removed: ${outcome.message}`);
  };

  useInput((input, key) => {
    const index = indexOf(latestSelectedId.current);
    const current = accounts[index];
    if (key.upArrow) select(index - 1);
    else if (key.downArrow) select(index + 1);
    // One code per press: a second press while the first is being saved is ignored, not queued.
    else if ((input === "c" || key.return) && current && !taking.current) void showNextCode(current);
    else if (input === "p") props.onPair();
    else if (input === "x" && current) void forget(current);
    else if (input === "q") props.onQuit();
  });

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="cyan">
        PairGate authenticator
      </Text>
      {props.banner ? <Text color="yellow">{props.banner}</Text> : null}
      <AccountList accounts={accounts} selectedId={selected?.id} statuses={statuses} now={now} />
      <CodeView shown={shown} />
      {removal ? <Text color="yellow">{removal}</Text> : null}
      <ChallengeInbox challenges={props.challenges} notes={props.notes} now={now} onApprove={props.onApprove} onDeny={props.onDeny} />
      <Text color="gray">↑/↓ account · c or Enter next code · p pair another account · x remove an unpaired account · q quit</Text>
    </Box>
  );
}
