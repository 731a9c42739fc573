import { Box, Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
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
  const [passphrase, setPassphrase, latestPassphrase] = useLatestState("");
  const [busy, setBusy, latestBusy] = useLatestState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  // Reads the latest value: keys typed quickly (or pasted) and Enter can arrive before a re-render.
  const submit = async () => {
    const typed = latestPassphrase.current;
    if (latestBusy.current || typed.length === 0) return;
    setBusy(true);
    setError(undefined);
    const outcome = await onUnlock(typed);
    setBusy(false);
    if (outcome.ok) return;
    setPassphrase("");
    setError(outcome.message);
  };

  // Typing only appends and Backspace only removes the last character, so no keystroke is lost
  // to a stale value, however fast they come.
  useKeys((input, key) => {
    if (key.escape) return onQuit();
    if (latestBusy.current) return;
    if (key.return) return void submit();
    if (key.backspace || key.delete) return setPassphrase((previous) => [...previous].slice(0, -1).join(""));
    if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // A terminal may deliver the passphrase and Enter in one piece: what follows the line break is the Enter.
    const lineBreak = input.search(/[\r\n]/);
    setPassphrase((previous) => previous + (lineBreak === -1 ? input : input.slice(0, lineBreak)));
    if (lineBreak !== -1) void submit();
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
        <Text>
          {"•".repeat([...passphrase].length)}
          {busy ? null : <Text inverse> </Text>}
        </Text>
      </Box>
      {busy ? <Text color="yellow">Unlocking (scrypt takes about a second)…</Text> : null}
      {error ? <Text color="red">{error}</Text> : null}
      <Text color="gray">Enter unlock · Esc quit</Text>
    </Box>
  );
}
