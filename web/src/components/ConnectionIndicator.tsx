import { useConnectionState } from "../hub/use-hub.ts";

const LABELS = { connecting: "Connecting…", connected: "Connected", idle: "Idle", reconnecting: "Reconnecting…", offline: "Offline" } as const;
// The hub closes a connection that has not logged in once it has been quiet for a while; nothing
// is wrong, and the page says so rather than show an alarming state.
const HINTS = { idle: "Not connected right now; the page connects again as soon as you continue." } as const;

/** The socket's state in the header; announced politely when it changes. */
export function ConnectionIndicator() {
  const state = useConnectionState();
  const hint = state === "idle" ? HINTS.idle : undefined;
  return (
    <p className={`connection connection-${state}`} role="status" aria-live="polite" data-state={state} title={hint}>
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[state]}
    </p>
  );
}
