import { useEffect, useState } from "react";
import type { EventReply } from "#protocol";
import { useHub } from "../hub/use-hub.ts";
import { AccountShell } from "./AccountShell.tsx";
import { request, when } from "./account-calls.ts";
import { ConfirmAction, Outcome, useAction } from "./parts.tsx";

type Session = EventReply<"session:list">["sessions"][number];

/** The account's sessions, this one marked; end any other, or every one at once. */
export function SessionsPage() {
  return <AccountShell title="Sessions">{() => <SessionList />}</AccountShell>;
}

function SessionList() {
  const hub = useHub();
  const [sessions, setSessions] = useState<Session[] | null>(null);
  const action = useAction();
  useEffect(() => {
    void action.run(async () => setSessions((await request(hub, "session:list", {})).sessions));
  }, [hub]);

  const revoke = (session: Session) =>
    action.run(async () => {
      await request(hub, "session:revoke", { sessionId: session.id });
      setSessions((await request(hub, "session:list", {})).sessions);
      return `The session of ${session.clientName ?? "an unnamed client"} has ended.`;
    });
  const logOutEverywhere = () => action.run(async () => void (await request(hub, "auth:logout-all", {})));

  return (
    <>
      <p className="lead">Every place you are logged in. Ending a session logs that browser or program out at once.</p>
      <Outcome error={action.error} notice={action.notice} />
      {sessions === null ? (
        <p role="status">Loading sessions…</p>
      ) : (
        <ul className="item-list" aria-label="Sessions">
          {sessions.map((session) => (
            <li key={session.id} className="item" data-testid="session">
              <div className="item-text">
                <p className="item-title">
                  {session.clientName ?? "Unnamed client"}
                  {session.current && <span className="badge">This session</span>}
                </p>
                <p className="item-meta">
                  From {session.address ?? "an unknown address"} · started {when(session.createdAt)} · last used {when(session.lastSeenAt)}
                </p>
              </div>
              {!session.current && (
                <ConfirmAction
                  label="End session"
                  question={`End the session of ${session.clientName ?? "this unnamed client"}?`}
                  confirmLabel="End it"
                  onConfirm={() => void revoke(session)}
                  disabled={action.busy}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <ConfirmAction label="Log out everywhere" question="Log out every session, this one included?" confirmLabel="Log out everywhere" onConfirm={() => void logOutEverywhere()} />
      </div>
    </>
  );
}
