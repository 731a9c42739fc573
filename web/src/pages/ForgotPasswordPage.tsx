import { useState } from "react";
import { FormAlert, SubmitButton } from "../components/form-parts.tsx";
import { PublicCard, UsernameField } from "../components/public-form.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { outcome } from "../hub/hub-errors.ts";
import { useHub } from "../hub/use-hub.ts";
import { Link, navigate, usePageTitle } from "../router.tsx";

/** Asks for a reset code by email; the hub answers the same whether or not the account exists. */
export function ForgotPasswordPage() {
  usePageTitle("Reset your password");
  const hub = useHub();
  const [login, setLogin] = useState("");
  const { busy, error, onSubmit } = useSubmit(async () => {
    const result = outcome(await hub.call("password:forgot", { login }));
    if (result.error) return result.error;
    const typed = login.trim().toLowerCase();
    navigate("/reset-password", typed.includes("@") ? { sent: "1" } : { username: typed, sent: "1" });
  });
  return (
    <PublicCard
      title="Reset your password"
      lead="Give your username or email address. If an account matches, we email it a code to set a new password."
      below={
        <>
          Remembered it? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <UsernameField
          label="Username or email"
          name="login"
          value={login}
          onChange={(event) => setLogin(event.target.value)}
          error={error?.fields.login}
        />
        <FormAlert error={error && !error.fields.login ? error.message : undefined} />
        <SubmitButton busy={busy} busyText="Sending…">
          Email me a code
        </SubmitButton>
      </form>
    </PublicCard>
  );
}
