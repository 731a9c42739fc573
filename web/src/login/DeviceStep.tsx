import { useState, type FormEvent } from "react";
import { FormAlert } from "../components/form-parts.tsx";
import { DeviceCodeField, FormActions, StartOver } from "../components/public-form.tsx";
import type { ShownError } from "../hub/hub-errors.ts";
import type { ProvenKey, SecondProof } from "./login-steps.ts";
import { readTypedCode, TYPED_CODE_RULE } from "./second-factor.ts";

interface DeviceStepProps {
  proven: ProvenKey;
  busy: boolean;
  error?: ShownError | undefined;
  onCode: (proof: SecondProof) => void;
  onCancel: () => void;
}

/**
 * The second factor while the paired device is asked: the number to type on the device, shown
 * large, or the device's code (or a recovery code) typed here.
 */
export function DeviceStep({ proven, busy, error, onCode, onCancel }: DeviceStepProps) {
  const [code, setCode] = useState("");
  const [problem, setProblem] = useState<string | undefined>();
  const locked = proven.otpNeedsOwnerUnlock === true || proven.otpLockedUntil !== undefined;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const proof = readTypedCode(code);
    setProblem(proof ? undefined : TYPED_CODE_RULE);
    if (proof) onCode(proof);
  };
  return (
    <>
      {locked ? (
        <p className="alert alert-error">
          {proven.otpNeedsOwnerUnlock
            ? "Too many wrong codes in a row: your device is locked until you log in with a recovery code (which unlocks it) or an administrator unlocks it."
            : `Too many wrong codes: your device is locked until ${new Date(proven.otpLockedUntil!).toLocaleTimeString(undefined, { timeStyle: "short" })}. A recovery code still works.`}
        </p>
      ) : proven.numberMatch ? (
        <div className="number-match">
          <p className="number-match-label" id="number-label">
            Approve on your device by typing this number
          </p>
          <p className="number-match-value" aria-labelledby="number-label" data-testid="number-match">
            {proven.numberMatch}
          </p>
          <p className="number-match-label">Waiting for your device…</p>
        </div>
      ) : (
        <p className="lead">Your device was not asked this time: type the code it shows.</p>
      )}
      {proven.newKey && <p className="alert alert-info">This browser is new to your account. Once you {locked ? "log in" : "approve"}, it is added to your keys and you are told about it.</p>}
      {!locked && proven.numberMatch && <p className="divider">or</p>}
      <form onSubmit={submit} noValidate>
        <DeviceCodeField
          label={locked ? "Recovery code" : "Code from your device"}
          value={code}
          onChange={(event) => setCode(event.target.value)}
          hint={locked ? "One of the recovery codes you saved (XXXXX-XXXXX)." : "Lost your device? Type one of your recovery codes instead."}
          error={problem ?? error?.fields.otp ?? error?.fields.recoveryCode}
        />
        <FormAlert error={!problem && error && !error.fields.otp && !error.fields.recoveryCode ? error.message : undefined} />
        <FormActions busy={busy} busyText="Checking…" submit="Log in with this code">
          <StartOver onClick={onCancel} />
        </FormActions>
      </form>
    </>
  );
}
