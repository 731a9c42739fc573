import { useId, type InputHTMLAttributes, type ReactNode } from "react";

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "id"> {
  label: string;
  hint?: ReactNode;
  /** The hub's or the page's sentence about this field; marks it invalid and is read with it. */
  error?: string | undefined;
  /** More text read with the field (live reasons, for example), shown under the hint. */
  extra?: ReactNode;
  extraId?: string;
}

/** A labelled input whose hint and error are tied to it for screen readers. */
export function Field({ label, hint, error, extra, extraId, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, extraId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} className={className} aria-invalid={error ? true : undefined} aria-describedby={describedBy} {...input} />
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {extra}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

/** The form's own outcome: read out as soon as it appears (errors assertively). */
export function FormAlert({ error, notice }: { error?: string | undefined; notice?: string | undefined }) {
  return (
    <>
      <p className="alert alert-error" role="alert">
        {error ?? ""}
      </p>
      <p className="alert alert-ok" role="status">
        {error ? "" : (notice ?? "")}
      </p>
    </>
  );
}

export function SubmitButton({ busy, children, busyText }: { busy: boolean; children: ReactNode; busyText: string }) {
  return (
    <button type="submit" className="button" disabled={busy} aria-busy={busy}>
      {busy ? busyText : children}
    </button>
  );
}
