import { useEffect } from "react";
import { useHub } from "../hub/use-hub.ts";

/** Calls back when the paired device approves or denies this login (pushed by the hub to this socket). */
export function useChallengeOutcome(challengeId: string | undefined, onApproved: () => void, onDenied: (reason: "denied" | "wrong_number" | "not_me") => void): void {
  const hub = useHub();
  useEffect(() => {
    if (!challengeId) return undefined;
    const stopApproved = hub.onPush("challenge:approved", (push) => {
      if (push.challengeId === challengeId) onApproved();
    });
    const stopDenied = hub.onPush("challenge:denied", (push) => {
      if (push.challengeId === challengeId) onDenied(push.reason);
    });
    return () => {
      stopApproved();
      stopDenied();
    };
    // Subscribed once per challenge: the page hands over callbacks that read its latest state.
  }, [hub, challengeId]);
}
