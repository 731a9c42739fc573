import { useEffect } from "react";
import { PublicCard } from "../components/public-form.tsx";
import { DeviceStep } from "../login/DeviceStep.tsx";
import { EmailCodeStep } from "../login/EmailCodeStep.tsx";
import { PasswordStep } from "../login/PasswordStep.tsx";
import { useLogin, type LoginPhase } from "../login/use-login.ts";
import { Link, navigate, useLocation, usePageTitle } from "../router.tsx";

const STEPS = ["Password", "This browser's key", "Your device"] as const;

const HEADINGS: Record<LoginPhase["step"], string> = {
  password: "Log in",
  device: "Confirm it's you",
  "email-code": "Add this browser",
  done: "Logged in",
};

/** Password, then this browser's key signature, then the paired device (or a code). */
export function LogInPage() {
  const { query } = useLocation();
  const { phase, busy, error, submitPassword, submitCode, startOver } = useLogin();
  usePageTitle(HEADINGS[phase.step]);
  useEffect(() => {
    if (phase.step === "done") navigate("/account", {}, true);
  }, [phase]);

  const notice = query.get("verified") ? "Your email address is confirmed. Log in to continue." : query.get("reset") ? "Your password was changed. Log in with the new one." : query.get("created") ? "Your account is ready. Log in to continue." : undefined;
  const stepIndex = phase.step === "password" ? 0 : 2;
  return (
    <PublicCard
      title={HEADINGS[phase.step]}
      below={
        phase.step === "password" && (
          <>
            New to PairGate? <Link to="/signup">Create an account</Link>
          </>
        )
      }
    >
      <ol className="steps" aria-label="Login steps">
        {STEPS.map((name, index) => (
          <li key={name} aria-current={index === stepIndex ? "step" : undefined} className={index < stepIndex ? "step-done" : undefined}>
            {name}
          </li>
        ))}
      </ol>
      {phase.step === "password" && <PasswordStep initialUsername={query.get("username") ?? ""} busy={busy} error={error} notice={notice} onSubmit={submitPassword} />}
      {phase.step === "device" && <DeviceStep proven={phase.proven} busy={busy} error={error} onCode={submitCode} onCancel={startOver} />}
      {phase.step === "email-code" && <EmailCodeStep busy={busy} error={error} onCode={submitCode} onCancel={startOver} />}
    </PublicCard>
  );
}
