import { Box, Text, useInput } from "ink";
import TextInput from "ink-text-input";
import { useState } from "react";
import { useLatestState } from "../hooks/use-latest-state.ts";

export type UnlockOutcome = { ok: true } | { ok: false; message: string };

export interface UnlockScreenProps {
  path: string;
  onUnlock(passphrase: string): Promise<UnlockOutcome>;
  onQuit(): void;
}

/** Asks once per start for the passphrase that seals the data file; the file is only ever read here. */
export function UnlockScreen({ path, onUnlock, onQuit }: UnlockScreenProps) {
  const [passphrase, setPassphrase] = useState("");
  const [busy, setBusy, latestBusy] = useLatestState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const submit = async (typed: string) => {
    if (latestBusy.current || typed.length === 0) return;
    setBusy(true);
    setError(undefined);
    const outcome = await onUnlock(typed);
    setBusy(false);
    if (outcome.ok) return;
    setPassphrase("");
    setError(outcome.message);
  };

  useInput((_input, key) => {
    if (key.escape) onQuit();
  });

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="cyan">
        PairGate authenticator
      </Text>
      <Text>
        The data file <Text bold>{path}</Text> is sealed with a passphrase.
      </Text>
      <Box gap={1}>
        <Text color="cyan">› Passphrase</Text>
        <TextInput value={passphrase} onChange={setPassphrase} onSubmit={(typed) => void submit(typed)} mask="•" focus={!busy} />
      </Box>
      {busy ? <Text color="yellow">Unlocking (scrypt takes about a second)…</Text> : null}
      {error ? <Text color="red">{error}</Text> : null}
      <Text color="gray">Enter unlock · Esc quit</Text>
    </Box>
  );
}
