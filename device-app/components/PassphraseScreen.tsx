import { Box, Text } from "ink";
import { useState } from "react";
import { useHiddenEntry } from "../hooks/use-hidden-entry.ts";
import { useKeys } from "../hooks/use-keys.ts";
import { useLatestState } from "../hooks/use-latest-state.ts";
import { passphraseRefusal } from "../passphrase-input.ts";

export type PassphraseOutcome = { ok: true } | { ok: false; message: string };

export interface PassphraseScreenProps {
  path: string;
  /** Whether the data file has a passphrase now: then it is asked for first. */
  sealed: boolean;
  /** Checks the current passphrase against the file; never writes. */
  onCheckCurrent(passphrase: string): Promise<PassphraseOutcome>;
  /** Seals the file with `passphrase`, or stores it plain when null. */
  onSave(passphrase: string | null): Promise<PassphraseOutcome>;
  /** Back to the accounts, with what was done (undefined: nothing). */
  onDone(message: string | undefined): void;
}

type Step = "current" | "choose" | "new" | "again" | "saving";

const PROMPTS: Record<Exclude<Step, "choose" | "saving">, string> = {
  current: "Current passphrase",
  new: "New passphrase",
  again: "New passphrase (again)",
};

/**
 * Sets, changes or removes the data file's passphrase. The current one is asked first, so that
 * someone at an unlocked, unattended screen cannot take the codes away from their owner.
 */
export function PassphraseScreen({ path, sealed, onCheckCurrent, onSave, onDone }: PassphraseScreenProps) {
  const [step, setStep, latestStep] = useLatestState<Step>(sealed ? "current" : "new");
  const [first, setFirst] = useState("");
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy, latestBusy] = useLatestState(false);

  const save = async (passphrase: string | null) => {
    setStep("saving");
    const outcome = await onSave(passphrase);
    if (outcome.ok) return onDone(passphrase === null ? `${path} no longer has a passphrase; it is protected by its 0600 mode only.` : `${path} is now sealed with your new passphrase.`);
    setError(outcome.message);
    setStep(sealed ? "choose" : "new");
  };

  const submit = async (typed: string) => {
    if (latestBusy.current || typed.length === 0) return;
    entry.clear();
    const current = latestStep.current;
    if (current === "current") {
      setBusy(true);
      setError(undefined);
      const checked = await onCheckCurrent(typed);
      setBusy(false);
      if (!checked.ok) return setError(checked.message);
      return setStep("choose");
    }
    if (current === "new") {
      const refused = passphraseRefusal(typed);
      if (refused) return setError(refused);
      setError(undefined);
      setFirst(typed);
      return setStep("again");
    }
    if (current !== "again") return;
    if (typed !== first) {
      setError("The two entries differ; type the new passphrase again.");
      return setStep("new");
    }
    await save(typed);
  };

  const typing = step === "current" || step === "new" || step === "again";
  const entry = useHiddenEntry((typed) => void submit(typed), () => onDone(undefined), typing && !busy);

  useKeys(
    (input, key) => {
      if (key.escape) return onDone(undefined);
      if (input === "c") {
        setError(undefined);
        return setStep("new");
      }
      if (input === "r") void save(null);
    },
    { isActive: step === "choose" },
  );

  return (
    <Box flexDirection="column" gap={1}>
      <Text bold color="cyan">
        Passphrase of the data file
      </Text>
      <Text>
        <Text bold>{path}</Text> {sealed ? "is sealed with a passphrase." : "has no passphrase: anyone who can read it as you can read your codes."}
      </Text>
      {step === "choose" ? <Text>Press c to change the passphrase, or r to remove it (the file then relies on its 0600 mode only).</Text> : null}
      {typing ? (
        <Box gap={1}>
          <Text color="cyan">› {PROMPTS[step]}</Text>
          <Text>
            {"•".repeat([...entry.value].length)}
            {busy ? null : <Text inverse> </Text>}
          </Text>
        </Box>
      ) : null}
      {step === "new" ? <Text color="gray">At least 8 characters. Without it the codes cannot be recovered: keep it safe.</Text> : null}
      {busy ? <Text color="yellow">Checking (scrypt takes about a second)…</Text> : null}
      {step === "saving" ? <Text color="yellow">Saving (scrypt takes about a second)…</Text> : null}
      {error ? <Text color="red">{error}</Text> : null}
      <Text color="gray">{step === "choose" ? "c change · r remove · Esc back" : "Enter next · Esc back (nothing is changed)"}</Text>
    </Box>
  );
}
