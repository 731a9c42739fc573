import { useEffect, useState } from "react";
import { emailSchema, usernameSchema } from "#protocol";
import { Field, FormAlert, SubmitButton } from "../components/form-parts.tsx";
import { PublicCard, UsernameField } from "../components/public-form.tsx";
import { NewPasswordField } from "../components/NewPasswordField.tsx";
import { useSubmit } from "../components/use-submit.ts";
import { outcome } from "../hub/hub-errors.ts";
import { useHub } from "../hub/use-hub.ts";
import { browserKey } from "../keys/browser-key.ts";
import { Link, navigate, usePageTitle } from "../router.tsx";

/** Username, email and password; the account gets this browser's public key as its first key. */
export function SignUpPage() {
  usePageTitle("Create your account");
  const hub = useHub();
  const [username, setUsername] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  // Making an RSA key takes the browser a moment: start while the person types.
  useEffect(() => void browserKey().catch(() => undefined), []);
  const { busy, error, onSubmit } = useSubmit(async () => {
    const key = await browserKey();
    const result = outcome(await hub.call("account:register", { username, email, password, publicKey: key.publicKeyPem }));
    if (result.error) return result.error;
    const name = result.data.user.username;
    if (result.data.emailVerificationRequired) navigate("/verify-email", { username: name });
    else navigate("/login", { username: name, created: "1" });
  });
  const usernameProblem = username ? usernameSchema.safeParse(username).error?.issues[0]?.message : undefined;
  const emailProblem = email.includes("@") && !emailSchema.safeParse(email).success ? "Give an email address such as name@example.com" : undefined;

  return (
    <PublicCard
      title="Create your account"
      lead="Your password, this browser's own key and, later, a device (the PairGate authenticator or an authenticator app) keep it yours."
      below={
        <>
          Already have an account? <Link to="/login">Log in</Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <UsernameField
          value={username}
          onChange={(event) => setUsername(event.target.value)}
          hint="3 to 32 characters: lower-case letters, digits, dot, dash or underscore."
          error={error?.fields.username ?? (error?.code === "username_taken" ? error.message : usernameProblem)}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          hint="We send a code to confirm it, and the codes for a forgotten password."
          error={error?.fields.email ?? (error?.code === "email_taken" ? error.message : emailProblem)}
        />
        <NewPasswordField
          label="Password"
          value={password}
          onChange={setPassword}
          context={[username, email]}
          error={error?.fields.password ?? (error?.code === "weak_password" ? error.message : undefined)}
        />
        <FormAlert error={error && !["username_taken", "email_taken", "weak_password"].includes(error.code) && Object.keys(error.fields).length === 0 ? error.message : undefined} />
        <SubmitButton busy={busy} busyText="Creating your account…">
          Create account
        </SubmitButton>
      </form>
    </PublicCard>
  );
}
