import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { AccountCallError, CANCELLED } from "./account-calls.ts";

/** A page's outcome, read out as it appears: errors assertively, the rest politely. */
export function Outcome({ error, notice }: { error?: string | undefined; notice?: string | undefined }) {
  return (
    <>
      <p className={error ? "alert alert-error" : "visually-hidden"} role="alert">
        {error ?? ""}
      </p>
      <p className={notice && !error ? "alert alert-ok" : "visually-hidden"} role="status">
        {error ? "" : (notice ?? "")}
      </p>
    </>
  );
}

/** One action at a time, with its error or notice kept for the page's Outcome. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const run = async (task: () => Promise<string | void>) => {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice((await task()) ?? undefined);
    } catch (thrown) {
      if (thrown instanceof AccountCallError && thrown.code === CANCELLED) setNotice(thrown.message);
      else setError(thrown instanceof Error ? thrown.message : "Something went wrong in this page; try again.");
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, notice, run, setError };
}

/**
 * A destructive action asked twice: the first press shows the question, which names what goes,
 * and moves focus to its own button; Cancel gives focus back.
 */
export function ConfirmAction({ label, question, confirmLabel, onConfirm, disabled }: { label: string; question: ReactNode; confirmLabel: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const questionId = useId();
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" ref={openRef} className="button button-secondary button-small" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  const cancel = () => {
    setAsking(false);
    requestAnimationFrame(() => openRef.current?.focus());
  };
  return (
    <div className="confirm" role="group" aria-labelledby={questionId}>
      <p id={questionId}>{question}</p>
      <button
        type="button"
        ref={confirmRef}
        className="button button-danger button-small"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </button>
      <button type="button" className="button button-secondary button-small" onClick={cancel}>
        Cancel
      </button>
    </div>
  );
}

/** A labelled input, its hint read with it. */
export function TextField({ label, hint, ...input }: { label: string; hint?: string } & React.InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-describedby={hint ? `${id}-hint` : undefined} {...input} />
      {hint && (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );
}
