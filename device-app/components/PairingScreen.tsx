import { Box, Text } from "ink";
import { useKeys } from "../hooks/use-keys.ts";
import TextInput from "ink-text-input";
import { useState } from "react";
import { isCompleteBindingCode } from "../binding-code-format.ts";
import { useLatestState } from "../hooks/use-latest-state.ts";
import { BindingCodeField } from "./BindingCodeField.tsx";

export interface PairingRequestInput {
  hub: string;
  code: string;
  name: string;
}

export type PairOutcome = { ok: true; username: string; hub: string } | { ok: false; message: string };

export interface PairingScreenProps {
  defaultHub: string;
  defaultDeviceName: string;
  onBind(request: PairingRequestInput): Promise<PairOutcome>;
  onPaired(outcome: Extract<PairOutcome, { ok: true }>): void;
  /** Esc goes back; absent on first run, when there is nothing to go back to. */
  onCancel?: (() => void) | undefined;
}

const FIELDS = ["hub", "code", "name"] as const;
type Field = (typeof FIELDS)[number];

/**
 * Pairing: the hub, the binding code the client shows (formatted as it is typed), and a name for
 * this device. Enter pairs once the code is complete; before that it moves to the next field.
 */
export function PairingScreen({ defaultHub, defaultDeviceName, onBind, onPaired, onCancel }: PairingScreenProps) {
  const [values, setValues, latestValues] = useLatestState<Record<Field, string>>({ hub: defaultHub, code: "", name: defaultDeviceName });
  const [focus, setFocus, latestFocus] = useLatestState<Field>("code");
  const [busy, setBusy, latestBusy] = useLatestState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  const move = (step: number) => setFocus((current) => FIELDS[(FIELDS.indexOf(current) + step + FIELDS.length) % FIELDS.length] ?? "code");
  const change = (field: Field) => (value: string | ((previous: string) => string)) => {
    setValues((all) => ({ ...all, [field]: typeof value === "function" ? value(all[field]) : value }));
    setError(undefined);
  };

  // Reads the latest values: a pasted "ABCD-EFGH" and Enter can arrive before a re-render.
  const submit = async () => {
    const typed = latestValues.current;
    if (latestBusy.current) return;
    if (!typed.hub.trim()) return setFocus("hub");
    if (!isCompleteBindingCode(typed.code)) {
      if (latestFocus.current === "code") setError("The binding code has 8 characters, as XXXX-XXXX.");
      return setFocus("code");
    }
    if (!typed.name.trim()) return setFocus("name");
    setBusy(true);
    const outcome = await onBind({ hub: typed.hub.trim(), code: typed.code, name: typed.name.trim() });
    setBusy(false);
    if (outcome.ok) onPaired(outcome);
    else setError(outcome.message);
  };

  useKeys((_input, key) => {
    if (latestBusy.current) return;
    if (key.escape && onCancel) onCancel();
    else if (key.downArrow || (key.tab && !key.shift)) move(1);
    else if (key.upArrow || (key.tab && key.shift)) move(-1);
  });

  const field = (name: Field, label: string, hint: string) => {
    const props = { value: values[name], onChange: change(name), focus: focus === name && !busy };
    return (
      <Box gap={1}>
        <Text color={focus === name ? "cyan" : undefined}>
          {focus === name ? "›" : " "} {label.padEnd(13)}
        </Text>
        {name === "code" ? (
          <BindingCodeField {...props} onSubmit={() => void submit()} />
        ) : (
          <TextInput {...props} onSubmit={() => void submit()} placeholder={hint} />
        )}
      </Box>
    );
  };

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="cyan">
        Pair this authenticator with a PairGate account
      </Text>
      <Text>On a machine logged in to PairGate, run `pairgate device add`, then type the code it shows here.</Text>
      <Box flexDirection="column">
        {field("hub", "Hub address", "https://host:port")}
        {field("code", "Binding code", "")}
        {field("name", "Device name", "a name you will recognise")}
      </Box>
      {busy ? <Text color="yellow">Pairing with {values.hub}…</Text> : null}
      {error ? <Text color="red">{error}</Text> : null}
      <Text color="gray">Enter pair · Tab or ↑/↓ move between fields{onCancel ? " · Esc back" : " · Ctrl+C quit"}</Text>
    </Box>
  );
}
