import { Box, Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
import { useState } from "react";
import type { ClosedNote, InboxChallenge } from "../challenge-inbox.ts";
import type { LinkStatus } from "../device-link.ts";
import type { DeviceAccount } from "../otp-data.ts";
import { type ImportedCode, importedCodeLabel } from "../imported-code.ts";
import { useLatestState } from "../hooks/use-latest-state.ts";
import { AccountList } from "./AccountList.tsx";
import { type ActionOutcome, ChallengeInbox } from "./ChallengeInbox.tsx";
import { CodeView, type ShownCode } from "./CodeView.tsx";
import { ImportedCodeList } from "./ImportedCodeList.tsx";

type Selectable = { kind: "account"; id: string; account: DeviceAccount } | { kind: "imported"; id: string; code: ImportedCode };

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
  /** Codes of other services, imported from otpauth:// URIs, listed below the accounts. */
  imported?: ImportedCode[];
  /** An imported HOTP entry's next code, its counter saved first. */
  onTakeImportedCode?(code: ImportedCode): Promise<CodeOutcome>;
  onImport?(): void;
  onForgetImported?(code: ImportedCode): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Opens the screen that sets, changes or removes the data file's passphrase. */
  onPassphrase?(): void;
}

/** The home screen: accounts with their connection, the next code on request, and the inbox. */
export function AccountsScreen(props: AccountsScreenProps) {
  const { accounts, statuses, now } = props;
  const imported = props.imported ?? [];
  // One selection runs down the paired accounts, then the imported codes.
  const items: Selectable[] = [...accounts.map((account) => ({ kind: "account" as const, id: account.id, account })), ...imported.map((code) => ({ kind: "imported" as const, id: code.id, code }))];
  const [selectedId, setSelectedId, latestSelectedId] = useLatestState(items[0]?.id);
  const [shown, setShown] = useState<ShownCode | undefined>(undefined);
  const [, setTaking, taking] = useLatestState(false);
  const [removal, setRemoval] = useState<string | undefined>(undefined);
  const [pendingRemoval, setPendingRemoval, latestPendingRemoval] = useLatestState<string | undefined>(undefined);
  const indexOf = (id: string | undefined) => Math.max(0, items.findIndex((item) => item.id === id));
  const selected = items[indexOf(selectedId)];

  const select = (index: number) => {
    const next = items[Math.min(items.length - 1, Math.max(0, index))];
    if (next && next.id !== latestSelectedId.current) setShown(undefined);
    setSelectedId(next?.id);
  };

  const showNextCode = async (label: string, take: () => Promise<CodeOutcome>) => {
    setTaking(true);
    const outcome = await take();
    setTaking(false);
    setShown(outcome.ok ? { label, code: outcome.code, counter: outcome.counter } : { label, error: outcome.message });
  };

  const takeCodeOf = (item: Selectable) => {
    if (item.kind === "account") return void showNextCode(`${item.account.username} @ ${item.account.hub}`, () => props.onTakeCode(item.account));
    const onTake = props.onTakeImportedCode;
    if (item.code.type === "hotp" && onTake) void showNextCode(importedCodeLabel(item.code), () => onTake(item.code));
  };

  // Removing an imported code is asked twice: its secret is kept nowhere else in this app.
  const forgetImported = async (code: ImportedCode) => {
    const label = importedCodeLabel(code);
    if (latestPendingRemoval.current !== code.id) {
      setPendingRemoval(code.id);
      return setRemoval(`Press x again to remove ${label}; its secret is kept nowhere else in this app.`);
    }
    setPendingRemoval(undefined);
    const outcome = await props.onForgetImported?.(code);
    setShown(undefined);
    setRemoval(outcome?.ok ? `Removed ${label}.` : `${label} was not removed: ${outcome?.message ?? "not available here"}`);
  };


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

  useKeys((input, key) => {
    const index = indexOf(latestSelectedId.current);
    const current = items[index];
    if (input !== "x" && latestPendingRemoval.current) {
      setPendingRemoval(undefined);
      setRemoval(undefined);
    }
    if (key.upArrow) select(index - 1);
    else if (key.downArrow) select(index + 1);
    // One code per press: a second press while the first is being saved is ignored, not queued.
    else if ((input === "c" || key.return) && current && !taking.current) takeCodeOf(current);
    else if (input === "p") props.onPair();
    else if (input === "i" && props.onImport) props.onImport();
    else if (input === "s" && props.onPassphrase) props.onPassphrase();
    else if (input === "x" && current?.kind === "account") void forget(current.account);
    else if (input === "x" && current?.kind === "imported") void forgetImported(current.code);
    else if (input === "q") props.onQuit();
  });

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="cyan">
        PairGate authenticator
      </Text>
      {props.banner ? <Text color="yellow">{props.banner}</Text> : null}
      {accounts.length > 0 ? <AccountList accounts={accounts} selectedId={selected?.id} statuses={statuses} now={now} /> : null}
      <ImportedCodeList imported={imported} selectedId={selected?.id} now={now} />
      <CodeView shown={shown} />
      {removal ? <Text color="yellow">{removal}</Text> : null}
      {accounts.length > 0 ? <ChallengeInbox challenges={props.challenges} notes={props.notes} now={now} onApprove={props.onApprove} onDeny={props.onDeny} /> : null}
      <Text color="gray">
        ↑/↓ select · c or Enter next code · p pair {accounts.length > 0 ? "another" : "an"} account{props.onImport ? " · i import otpauth:// codes" : ""} · x remove
        {imported.length > 0 ? "" : " an unpaired account"}
        {props.onPassphrase ? " · s passphrase" : ""} · q quit
      </Text>
    </Box>
  );
}
