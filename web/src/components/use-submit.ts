import { useState, type FormEvent } from "react";
import type { ShownError } from "../hub/hub-errors.ts";

/**
 * A form's submit: one call at a time, its error kept for the page to show, and focus sent to the
 * first field the hub named (or left where it is, with the alert read out).
 */
export function useSubmit(action: () => Promise<ShownError | undefined | void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | undefined>();
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    const form = event.currentTarget;
    setBusy(true);
    setError(undefined);
    try {
      const failed = (await action()) ?? undefined;
      setError(failed);
      if (failed) focusFirstInvalid(form, failed);
    } catch (thrown) {
      setError({ code: "internal_error", message: thrown instanceof Error ? thrown.message : "Something went wrong in this page; try again.", fields: {} });
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, onSubmit };
}

function focusFirstInvalid(form: HTMLFormElement, error: ShownError): void {
  const names = Object.keys(error.fields);
  if (names.length === 0) return;
  // After React has marked the fields invalid.
  requestAnimationFrame(() => form.querySelector<HTMLInputElement>(names.map((name) => `[name="${CSS.escape(name)}"]`).join(","))?.focus());
}
