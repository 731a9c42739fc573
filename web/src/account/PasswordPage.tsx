import { useRef, type FormEvent } from "react";
import { useHub } from "../hub/use-hub.ts";
import { AccountShell } from "./AccountShell.tsx";
import { request } from "./account-calls.ts";
import { Outcome, TextField, useAction } from "./parts.tsx";

/** A new password: your other sessions end, this one stays. */
export function PasswordPage() {
  return <AccountShell title="Change password">{(me) => <PasswordForm username={me.user.username} />}</AccountShell>;
}

function PasswordForm({ username }: { username: string }) {
  const hub = useHub();
  const action = useAction();
  const form = useRef<HTMLFormElement>(null);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const currentPassword = String(data.get("currentPassword") ?? "");
    const newPassword = String(data.get("newPassword") ?? "");
    if (newPassword !== String(data.get("confirmPassword") ?? "")) {
      action.setError("The two new passwords differ; type the same one twice.");
      return;
    }
    void action.run(async () => {
      const { sessionsEnded } = await request(hub, "password:change", { currentPassword, newPassword });
      form.current?.reset();
      return `Your password is changed. ${sessionsEnded === 1 ? "One other session was" : `${sessionsEnded} other sessions were`} logged out.`;
    });
  };
  return (
    <form ref={form} onSubmit={submit} className="narrow-form">
      <input type="text" name="username" autoComplete="username" value={username} readOnly hidden />
      <TextField label="Current password" name="currentPassword" type="password" autoComplete="current-password" required />
      <TextField label="New password" name="newPassword" type="password" autoComplete="new-password" required minLength={8} hint="At least 8 characters; common and easily guessed passwords are refused with the reason." />
      <TextField label="New password again" name="confirmPassword" type="password" autoComplete="new-password" required />
      <Outcome error={action.error} notice={action.notice} />
      <div className="actions">
        <button type="submit" className="button" disabled={action.busy} aria-busy={action.busy}>
          {action.busy ? "Changing…" : "Change password"}
        </button>
      </div>
    </form>
  );
}
