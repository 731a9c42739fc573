import { useState, type FormEvent } from "react";
import { Field, FormAlert, SubmitButton } from "../components/form-parts.tsx";
import { UsernameField } from "../components/public-form.tsx";
import type { ShownError } from "../hub/hub-errors.ts";
import { Link } from "../router.tsx";

interface PasswordStepProps {
  initialUsername: string;
  busy: boolean;
  error?: ShownError | undefined;
  notice?: string | undefined;
  onSubmit: (username: string, password: string) => void;
}

export function PasswordStep({ initialUsername, busy, error, notice, onSubmit }: PasswordStepProps) {
  const [username, setUsername] = useState(initialUsername);
  const [password, setPassword] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(username, password);
  };
  return (
    <form onSubmit={submit} noValidate>
      {notice && !error && (
        <p className="alert alert-ok" role="status">
          {notice}
        </p>
      )}
      <UsernameField
        autoFocus={initialUsername === ""}
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        error={error?.fields.username}
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        autoFocus={initialUsername !== ""}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        hint={<Link to="/forgot-password">Forgot your password?</Link>}
        error={error?.fields.password}
      />
      <FormAlert error={error && !error.fields.username && !error.fields.password ? error.message : undefined} />
      {error?.code === "email_not_verified" && (
        <p>
          <Link to="/verify-email" search={{ username: username.trim().toLowerCase() }}>
            Confirm your email address
          </Link>
        </p>
      )}
      <SubmitButton busy={busy} busyText="Checking…">
        Continue
      </SubmitButton>
    </form>
  );
}
