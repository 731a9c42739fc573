import { useEffect, useState } from "react";
import type { EventReply } from "#protocol";
import { useHub } from "../hub/use-hub.ts";
import { AccountShell } from "./AccountShell.tsx";
import { request, when } from "./account-calls.ts";
import { Outcome, useAction } from "./parts.tsx";

type AuditPage = EventReply<"audit:list">;
const PAGE_SIZE = 15;

/** The account's own security events, newest first, a page at a time. */
export function ActivityPage() {
  return <AccountShell title="Activity">{() => <AuditLog />}</AccountShell>;
}

function AuditLog() {
  const hub = useHub();
  const action = useAction();
  // The `before` cursor of every page shown so far, so "Newer" can go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<AuditPage | null>(null);
  const cursor = cursors.at(-1);
  useEffect(() => {
    void action.run(async () => setPage(await request(hub, "audit:list", { limit: PAGE_SIZE, ...(cursor ? { before: cursor } : {}) })));
  }, [hub, cursor]);
  return (
    <>
      <p className="lead">Logins, changes and everything else that touched your account&apos;s security, newest first.</p>
      <Outcome error={action.error} />
      {page === null ? (
        <p role="status">Loading activity…</p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-describedby="activity-page">
            <caption id="activity-page">
              Page {cursors.length} of your activity
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">From</th>
              </tr>
            </thead>
            <tbody>
              {page.events.map((event) => (
                <tr key={event.id} data-testid="audit-event">
                  <td>{when(event.createdAt)}</td>
                  <td>{describeAction(event.action)}</td>
                  <td>{event.address ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions pager">
        <button type="button" className="button button-secondary" disabled={cursors.length === 1 || action.busy} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>
        <button type="button" className="button button-secondary" disabled={!page?.nextBefore || action.busy} onClick={() => page?.nextBefore && setCursors([...cursors, page.nextBefore])}>
          Older
        </button>
      </div>
    </>
  );
}

/** "login.succeeded" → "Login succeeded". */
function describeAction(action: string): string {
  const words = action.replace(/[._]/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}
