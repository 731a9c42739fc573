import { useConnectionState } from "../hub/use-hub.ts";

const LABELS = { connecting: "Connecting…", connected: "Connected", reconnecting: "Reconnecting…", offline: "Offline" } as const;

/** The socket's state in the header; announced politely when it changes. */
export function ConnectionIndicator() {
  const state = useConnectionState();
  return (
    <p className={`connection connection-${state}`} role="status" aria-live="polite" data-state={state}>
      <span className="connection-dot" aria-hidden="true" />
      {LABELS[state]}
    </p>
  );
}
