import { useState } from "react";
import { FormAlert, SubmitButton } from "../components/form-parts.tsx";
import { DeviceCodeField, EmailCodeField, PublicCard, UsernameField } from "../components/public-form.tsx";
import { NewPasswordField } from "../components/NewPasswordField.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { outcome } from "../hub/hub-errors.ts";
import { useHub } from "../hub/use-hub.ts";
import { readTypedCode, TYPED_CODE_RULE } from "../login/second-factor.ts";
import { Link, navigate, useLocation, usePageTitle } from "../router.tsx";

const PLACED = new Set(["otp_required", "invalid_otp", "otp_locked", "weak_password"]);

/** The emailed code, a new password, and (with a paired device) its code or a recovery code. */
export function ResetPasswordPage() {
  usePageTitle("Choose a new password");
  const hub = useHub();
  const { query } = useLocation();
  const [username, setUsername] = useState(query.get("username") ?? "");
  const [code, setCode] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [deviceCode, setDeviceCode] = useState("");
  const [deviceProblem, setDeviceProblem] = useState<string | undefined>();
  const { busy, error, onSubmit } = useSubmit(async () => {
    const second = deviceCode.trim() === "" ? {} : readTypedCode(deviceCode);
    setDeviceProblem(second ? undefined : TYPED_CODE_RULE);
    if (!second) return undefined;
    const result = outcome(await hub.call("password:reset", { username, code, newPassword, ...second }));
    if (result.error) return result.error;
    navigate("/login", { username: username.trim().toLowerCase(), reset: "1" });
  });
  const deviceError =
    deviceProblem ?? error?.fields.otp ?? error?.fields.recoveryCode ?? (error && ["otp_required", "invalid_otp", "otp_locked"].includes(error.code) ? error.message : undefined);
  const placed = error && (PLACED.has(error.code) || Object.keys(error.fields).length > 0);
  return (
    <PublicCard
      title="Choose a new password"
      lead={`${query.get("sent") ? "If an account matches, a code is on its way to its email address. " : ""}Every session of the account ends when the password changes.`}
      below={
        <>
          No code? <Link to="/forgot-password">Send another</Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <UsernameField
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          error={error?.fields.username}
        />
        <EmailCodeField
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={error?.fields.code}
        />
        <NewPasswordField
          label="New password"
          value={newPassword}
          onChange={setNewPassword}
          context={[username]}
          error={error?.fields.newPassword ?? (error?.code === "weak_password" ? error.message : undefined)}
        />
        <DeviceCodeField
          label="Code from your device, or a recovery code"
          name="otp"
          // The browser would offer the emailed code here.
          autoComplete="off"
          value={deviceCode}
          onChange={(event) => setDeviceCode(event.target.value)}
          hint="Only if your account has a device (the PairGate authenticator or an authenticator app)."
          error={deviceError}
        />
        <FormAlert error={error && !placed ? error.message : undefined} />
        <SubmitButton busy={busy} busyText="Saving…">
          Set new password
        </SubmitButton>
      </form>
    </PublicCard>
  );
}
