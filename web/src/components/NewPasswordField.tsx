import { useId } from "react";
import { PASSWORD_MIN_LENGTH } from "#protocol";
import { Field } from "./form-parts.tsx";
import { usePasswordVerdict } from "./use-password-verdict.ts";

interface NewPasswordFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The username and email: a password must not echo them. */
  context: string[];
  error?: string | undefined;
}

/** A new password with the hub's reasons shown while it is typed. */
export function NewPasswordField({ label, value, onChange, context, error }: NewPasswordFieldProps) {
  const verdict = usePasswordVerdict(value, context);
  const reasonsId = useId();
  const reasons =
    verdict === null ? null : verdict.ok ? (
      <ul className="reasons reasons-ok" id={reasonsId}>
        <li>Strong enough.</li>
      </ul>
    ) : (
      <ul className="reasons" id={reasonsId}>
        {verdict.reasons.map((reason) => (
          <li key={reason}>{reason}</li>
        ))}
      </ul>
    );
  return (
    <Field
      label={label}
      type="password"
      autoComplete="new-password"
      required
      minLength={PASSWORD_MIN_LENGTH}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      hint={`At least ${PASSWORD_MIN_LENGTH} characters. A few unrelated words make a strong one.`}
      extra={reasons}
      extraId={reasons ? reasonsId : undefined}
      error={error}
    />
  );
}
