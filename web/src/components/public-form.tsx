import { useId, type ReactNode } from "react";
import { EMAIL_CODE_DIGITS } from "#protocol";
import { Field, SubmitButton, type FieldProps } from "./form-parts.tsx";

// The parts the pages before the login share (sign up, log in, confirm the email, forgot and
// reset the password), so that a field is typed, labelled and read out the same on every one.

/** A public page: its card with the heading and lead, the form inside, and the line under the card. */
export function PublicCard({ title, lead, below, children }: { title: string; lead?: ReactNode; below?: ReactNode; children: ReactNode }) {
  const id = useId();
  return (
    <>
      <section className="card" aria-labelledby={`${id}-title`}>
        <h1 id={`${id}-title`} tabIndex={-1}>
          {title}
        </h1>
        {lead && <p className="lead">{lead}</p>}
        {children}
      </section>
      {below && <p className="below-card">{below}</p>}
    </>
  );
}

type FieldShortcut = Omit<FieldProps, "label" | "name"> & { label?: string; name?: string };

/** A username (or, relabelled, a username or email): no capitals or spelling fixes from the phone's keyboard. */
export function UsernameField({ label = "Username", name = "username", ...rest }: FieldShortcut) {
  return <Field label={label} name={name} autoComplete="username" autoCapitalize="none" spellCheck={false} required {...rest} />;
}

/** The code from an email: digits, offered by the browser from the message where it can. */
export function EmailCodeField({ label = "Code from the email", name = "code", ...rest }: FieldShortcut) {
  return <Field label={label} name={name} className="code-input" inputMode="numeric" autoComplete="one-time-code" maxLength={EMAIL_CODE_DIGITS + 2} {...rest} />;
}

/** A device's code or a recovery code (letters and digits, XXXXX-XXXXX): typed as shown, never corrected. */
export function DeviceCodeField({ label = "Code from your device", name = "code", ...rest }: FieldShortcut) {
  return <Field label={label} name={name} className="code-input" autoComplete="one-time-code" autoCapitalize="characters" spellCheck={false} {...rest} />;
}

/** The form's buttons: its submit, and any other action beside it. */
export function FormActions({ busy, busyText, submit, children }: { busy: boolean; busyText: string; submit: ReactNode; children?: ReactNode }) {
  return (
    <div className="actions">
      <SubmitButton busy={busy} busyText={busyText}>
        {submit}
      </SubmitButton>
      {children}
    </div>
  );
}

/** Back to the password step of the login. */
export function StartOver({ onClick }: { onClick: () => void }) {
  return (
    <button type="button" className="button button-secondary" onClick={onClick}>
      Start over
    </button>
  );
}
