import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { setPasswordPrompt } from "./reauthentication.ts";

/**
 * The dialog in which a sensitive action asks for the password again. A native modal dialog:
 * focus moves into it, stays there, and Escape cancels.
 */
export function PasswordDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const input = useRef<HTMLInputElement>(null);
  const pending = useRef<((password: string | null) => void) | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const id = useId();

  useEffect(() => {
    setPasswordPrompt(
      (lastProblem) =>
        new Promise((resolve) => {
          pending.current = resolve;
          setProblem(lastProblem);
          if (input.current) input.current.value = "";
          if (!dialog.current?.open) dialog.current?.showModal();
          input.current?.focus();
        }),
    );
    return () => setPasswordPrompt(null);
  }, []);

  const settle = (password: string | null) => {
    const resolve = pending.current;
    pending.current = null;
    dialog.current?.close();
    resolve?.(password);
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    settle(input.current?.value ?? "");
  };
  return (
    <dialog ref={dialog} className="card password-dialog" aria-labelledby={`${id}-title`} onCancel={() => settle(null)}>
      <form onSubmit={submit}>
        <h2 id={`${id}-title`}>Confirm it's you</h2>
        <p>This action needs your password again.</p>
        <div className="field">
          <label htmlFor={`${id}-password`}>Password</label>
          <input ref={input} id={`${id}-password`} type="password" autoComplete="current-password" required aria-describedby={problem ? `${id}-problem` : undefined} />
        </div>
        <p id={`${id}-problem`} className={problem ? "alert alert-error" : "visually-hidden"} role="alert">
          {problem ?? ""}
        </p>
        <div className="actions">
          <button type="submit" className="button">
            Confirm
          </button>
          <button type="button" className="button button-secondary" onClick={() => settle(null)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
