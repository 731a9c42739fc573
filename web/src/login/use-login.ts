import { useRef, useState } from "react";
import type { ShownError } from "../hub/hub-errors.ts";
import { useHub } from "../hub/use-hub.ts";
import { completeLogin, openSignedChallenge, proveKey, type ProvenKey, type SecondProof, type SignedChallenge } from "./login-steps.ts";
import { useChallengeOutcome } from "./use-challenge-outcome.ts";

export type LoginPhase =
  | { step: "password" }
  | { step: "device"; challenge: SignedChallenge; proven: ProvenKey }
  | { step: "email-code"; challenge: SignedChallenge }
  | { step: "done"; username: string };

/**
 * The login as the terminal client runs it: password, key signature, then (with a device) the
 * number shown while the device is asked or its code typed, and (for a browser new to the
 * account) the second proof that adds its key.
 */
export function useLogin() {
  const hub = useHub();
  const [phase, setPhase] = useState<LoginPhase>({ step: "password" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | undefined>();
  const current = useRef(phase);
  current.current = phase;

  const fail = (shown: ShownError) => {
    setError(shown);
    // A login the hub closed (used up, expired, denied) starts again from the password.
    if (["challenge_used", "challenge_expired", "challenge_not_found", "challenge_denied", "account_locked"].includes(shown.code) || shown.triesLeft === 0) {
      setPhase({ step: "password" });
    }
  };

  const finish = async (challenge: SignedChallenge, proof: SecondProof) => {
    const done = await completeLogin(hub, challenge, proof);
    if (done.data) return setPhase({ step: "done", username: done.data.username });
    if (done.error.code === "key_verification_required") {
      setError(undefined);
      return setPhase(challenge.hasDevice ? { step: "device", challenge, proven: { devicesAsked: 0, newKey: true } } : { step: "email-code", challenge });
    }
    fail(done.error);
  };

  const run = async (task: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await task();
    } catch (thrown) {
      fail({ code: "internal_error", message: thrown instanceof Error ? thrown.message : "Something went wrong in this page; try again.", fields: {} });
    } finally {
      setBusy(false);
    }
  };

  const submitPassword = (username: string, password: string) =>
    run(async () => {
      const opened = await openSignedChallenge(hub, username, password);
      if (opened.error) return fail(opened.error);
      const challenge = opened.data;
      const proven = await proveKey(hub, challenge);
      if (proven.error) return fail(proven.error);
      if (!challenge.hasDevice) return finish(challenge, {});
      setPhase({ step: "device", challenge, proven: proven.data });
    });

  const submitCode = (proof: SecondProof) =>
    run(async () => {
      const now = current.current;
      if (now.step === "device" || now.step === "email-code") await finish(now.challenge, proof);
    });

  const deviceChallenge = phase.step === "device" ? phase.challenge.challengeId : undefined;
  useChallengeOutcome(
    deviceChallenge,
    () => void submitCode({}),
    (reason) =>
      fail({
        code: "challenge_denied",
        message: reason === "wrong_number" ? "The number typed on your device was not the one shown here, so the login was refused. Log in again." : "The login was denied on your device. Log in again.",
        fields: {},
      }),
  );

  const startOver = () => {
    setError(undefined);
    setPhase({ step: "password" });
  };
  return { phase, busy, error, submitPassword, submitCode, startOver };
}
