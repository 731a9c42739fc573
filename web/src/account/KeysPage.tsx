import { useEffect, useState } from "react";
import type { EventReply } from "#protocol";
import { useHub } from "../hub/use-hub.ts";
import { AccountShell } from "./AccountShell.tsx";
import { request, when } from "./account-calls.ts";
import { ConfirmAction, Outcome, useAction } from "./parts.tsx";

type ClientKey = EventReply<"key:list">["keys"][number];

/** The keys of the browsers and machines that log in to the account; removing one ends its sessions. */
export function KeysPage() {
  return <AccountShell title="Browser and machine keys">{() => <KeyList />}</AccountShell>;
}

function KeyList() {
  const hub = useHub();
  const [keys, setKeys] = useState<ClientKey[] | null>(null);
  const action = useAction();
  const refresh = async () => setKeys((await request(hub, "key:list", {})).keys);
  useEffect(() => void action.run(refresh), [hub]);
  const remove = (key: ClientKey) =>
    action.run(async () => {
      const { sessionsEnded } = await request(hub, "key:remove", { keyId: key.id });
      await refresh();
      return `Key removed; ${sessionsEnded === 1 ? "1 session" : `${sessionsEnded} sessions`} it opened ended.`;
    });
  return (
    <>
      <p className="lead">Each browser or terminal that logs in holds its own private key; the hub knows only the public half.</p>
      <Outcome error={action.error} notice={action.notice} />
      {keys === null ? (
        <p role="status">Loading keys…</p>
      ) : (
        <ul className="item-list" aria-label="Keys">
          {keys.map((key) => (
            <li key={key.id} className="item" data-testid="client-key">
              <div className="item-text">
                <p className="item-title">
                  <code className="fingerprint">{key.fingerprint.slice(0, 16)}…</code>
                  {key.current && <span className="badge">This browser</span>}
                </p>
                <p className="item-meta">
                  Added {when(key.createdAt)} · last used {when(key.lastUsedAt)}
                </p>
              </div>
              {!key.current && (
                <ConfirmAction label="Remove" question={`Remove the key ${key.fingerprint.slice(0, 16)}…? Its sessions end at once.`} confirmLabel="Remove key" onConfirm={() => void remove(key)} />
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
