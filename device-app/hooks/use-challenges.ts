import { useEffect, useReducer } from "react";
import { EMPTY_INBOX, type InboxAction, inboxReducer, type InboxState } from "../challenge-inbox.ts";

/** The live inbox of login requests; expired ones and old notes go on every clock tick. */
export function useChallenges(now: number): InboxState & { dispatch: (action: InboxAction) => void } {
  const [state, dispatch] = useReducer(inboxReducer, EMPTY_INBOX);
  useEffect(() => {
    dispatch({ type: "tick", now });
  }, [now]);
  return { ...state, dispatch };
}
