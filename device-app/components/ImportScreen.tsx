import { Box, Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
import { useState } from "react";
import { useLatestState } from "../hooks/use-latest-state.ts";

export type ImportScreenOutcome = { ok: true; message: string } | { ok: false; message: string };

export interface ImportScreenProps {
  onImport(text: string): Promise<ImportScreenOutcome>;
  onBack(): void;
}

/** What is typed, with every secret parameter hidden: the screen may be seen or recorded. */
export function hideSecrets(text: string): string {
  return text.replace(/([?&]secret=)[^&\s]*/gi, (_match, prefix: string) => `${prefix}••••••••`);
}

/**
 * Paste one or more `otpauth://` URIs (as a service shows them under its QR code) and press Enter.
 * Typing only appends and Backspace only removes the last character, as in the binding-code field.
 */
export function ImportScreen({ onImport, onBack }: ImportScreenProps) {
  const [text, setText, latestText] = useLatestState("");
  const [busy, setBusy, latestBusy] = useLatestState(false);
  const [result, setResult] = useState<ImportScreenOutcome | undefined>(undefined);

  const submit = async () => {
    const typed = latestText.current;
    if (latestBusy.current || typed.trim() === "") return;
    setBusy(true);
    const outcome = await onImport(typed);
    setBusy(false);
    setResult(outcome);
    if (outcome.ok) setText("");
  };

  useKeys((input, key) => {
    if (latestBusy.current) return;
    if (key.escape) return onBack();
    if (key.return) return void submit();
    if (key.backspace || key.delete) return setText((previous) => previous.slice(0, -1));
    if (key.ctrl || key.meta || key.tab || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow) return;
    // A pasted list arrives in one piece, its line breaks as carriage returns: keep them as lines.
    setText((previous) => previous + input.replace(/\r\n?/g, "\n"));
    setResult(undefined);
  });

  const lines = text === "" ? [] : hideSecrets(text).split("\n");
  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="cyan">
        Import codes of other services
      </Text>
      <Text>Paste the otpauth:// URI a service shows beside its QR code (several, one a line, also work), then press Enter.</Text>
      <Box flexDirection="column" borderStyle="round" borderColor={busy ? "yellow" : "cyan"} paddingX={1}>
        {lines.length === 0 ? <Text color="gray">otpauth://totp/Service:you@example.com?secret=…&issuer=Service</Text> : null}
        {lines.map((line, index) => (
          // Lines have no identity beyond their place, and are only ever appended to.
          <Text key={index} wrap="truncate-middle">
            {line}
            {index === lines.length - 1 ? <Text inverse> </Text> : null}
          </Text>
        ))}
      </Box>
      {busy ? <Text color="yellow">Importing…</Text> : null}
      {result ? <Text color={result.ok ? "green" : "red"}>{result.message}</Text> : null}
      <Text color="gray">Enter import · Backspace erase · Esc back (secrets are shown as ••••)</Text>
    </Box>
  );
}
