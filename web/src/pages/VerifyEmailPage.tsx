import { useState } from "react";
import { EMAIL_CODE_DIGITS } from "#protocol";
import { FormAlert } from "../components/form-parts.tsx";
import { EmailCodeField, FormActions, PublicCard, UsernameField } from "../components/public-form.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { outcome, type ShownError } from "../hub/hub-errors.ts";
import { useHub } from "../hub/use-hub.ts";
import { Link, navigate, useLocation, usePageTitle } from "../router.tsx";

/** The 6-digit code emailed at sign-up, and a way to have it sent again. */
export function VerifyEmailPage() {
  usePageTitle("Confirm your email");
  const hub = useHub();
  const { query } = useLocation();
  const [username, setUsername] = useState(query.get("username") ?? "");
  const [code, setCode] = useState("");
  const [notice, setNotice] = useState<string | undefined>();
  const [resendError, setResendError] = useState<ShownError | undefined>();
  const [resending, setResending] = useState(false);
  const { busy, error, onSubmit } = useSubmit(async () => {
    setNotice(undefined);
    const result = outcome(await hub.call("account:verify-email", { username, code }));
    if (result.error) return result.error;
    navigate("/login", { username: username.trim().toLowerCase(), verified: "1" });
  });

  const resend = async () => {
    setResending(true);
    setResendError(undefined);
    setNotice(undefined);
    const result = outcome(await hub.call("account:resend-verification", { username }));
    setResending(false);
    if (result.error) setResendError(result.error);
    else setNotice("A new code is on its way. It replaces the one sent before.");
  };

  const shown = error ?? resendError;
  return (
    <PublicCard
      title="Confirm your email"
      lead={`We emailed you a ${EMAIL_CODE_DIGITS}-digit code. Type it here to finish creating your account.`}
      below={
        <>
          Confirmed already? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <UsernameField
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          error={shown?.fields.username}
        />
        <EmailCodeField
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={shown?.fields.code}
        />
        <FormAlert error={shown && Object.keys(shown.fields).length === 0 ? shown.message : undefined} notice={notice} />
        <FormActions busy={busy} busyText="Checking…" submit="Confirm email">
          <button type="button" className="button button-secondary" onClick={resend} disabled={resending || !username}>
            {resending ? "Sending…" : "Send a new code"}
          </button>
        </FormActions>
      </form>
    </PublicCard>
  );
}
