import { useState, type FormEvent } from "react";
import { emailCodeSchema, recoveryCodeSchema } from "#protocol";
import { FormAlert } from "../components/form-parts.tsx";
import { EmailCodeField, FormActions, StartOver } from "../components/public-form.tsx";
import type { ShownError } from "../hub/hub-errors.ts";
import type { SecondProof } from "./login-steps.ts";

interface EmailCodeStepProps {
  busy: boolean;
  error?: ShownError | undefined;
  onCode: (proof: SecondProof) => void;
  onCancel: () => void;
}

/** A new browser on an account with no device: the code the hub just emailed (or a recovery code) adds its key. */
export function EmailCodeStep({ busy, error, onCode, onCancel }: EmailCodeStepProps) {
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const emailed = emailCodeSchema.safeParse(code);
    const recovery = recoveryCodeSchema.safeParse(code);
    const proof: SecondProof | undefined = emailed.success ? { emailCode: emailed.data } : recovery.success ? { recoveryCode: recovery.data } : undefined;
    setProblem(proof ? undefined : "Type the 6 digits from the email, or a recovery code (XXXXX-XXXXX).");
    if (proof) onCode(proof);
  };
  return (
    <form onSubmit={submit} noValidate>
      <p className="alert alert-info">This browser is new to your account, so we emailed you a code to add it. Your other browsers and terminals are not affected.</p>
      <EmailCodeField
        name="emailCode"
        // A recovery code, longer than the emailed one, is taken here too.
        maxLength={undefined}
        value={code}
        onChange={(event) => setCode(event.target.value)}
        error={problem ?? error?.fields.emailCode ?? error?.fields.recoveryCode}
      />
      <FormAlert error={!problem && error && !error.fields.emailCode && !error.fields.recoveryCode ? error.message : undefined} />
      <FormActions busy={busy} busyText="Checking…" submit="Add this browser and log in">
        <StartOver onClick={onCancel} />
      </FormActions>
    </form>
  );
}
