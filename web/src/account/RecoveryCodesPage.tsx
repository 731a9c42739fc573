import { useState } from "react";
import { useHub } from "../hub/use-hub.ts";
import { AccountShell } from "./AccountShell.tsx";
import { request } from "./account-calls.ts";
import { ConfirmAction, Outcome, useAction } from "./parts.tsx";

/** New recovery codes, shown this once: copy them or download them, then they are gone from the page. */
export function RecoveryCodesPage() {
  return <AccountShell title="Recovery codes">{(me) => <RecoveryCodes username={me.user.username} />}</AccountShell>;
}

function RecoveryCodes({ username }: { username: string }) {
  const hub = useHub();
  const [codes, setCodes] = useState<string[] | null>(null);
  const action = useAction();
  const generate = () =>
    action.run(async () => {
      setCodes((await request(hub, "recovery:generate", {})).codes);
      return "New recovery codes made; the earlier ones no longer work. They are shown this once.";
    });
  const text = codes ? `PairGate recovery codes for ${username}\nEach works once.\n\n${codes.join("\n")}\n` : "";
  const copy = () => action.run(async () => {
    await navigator.clipboard.writeText(text);
    return "Copied to the clipboard.";
  });
  const download = () => {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = `pairgate-recovery-codes-${username}.txt`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <>
      <p className="lead">
        A recovery code logs you in, or resets your password, when your device is lost. Each works once. Making new ones cancels the old ones.
      </p>
      <Outcome error={action.error} notice={action.notice} />
      {codes ? (
        <>
          <ol className="recovery-codes" aria-label="Your new recovery codes" data-testid="recovery-codes">
            {codes.map((code) => (
              <li key={code}>
                <code>{code}</code>
              </li>
            ))}
          </ol>
          <p className="alert alert-info">Keep them somewhere safe now: PairGate keeps only their hashes and cannot show them again.</p>
          <div className="actions">
            <button type="button" className="button" onClick={() => void copy()}>
              Copy codes
            </button>
            <button type="button" className="button button-secondary" onClick={download}>
              Download codes
            </button>
            <button type="button" className="button button-secondary" onClick={() => setCodes(null)}>
              I have saved them
            </button>
          </div>
        </>
      ) : (
        <div className="actions">
          <ConfirmAction label="Make new recovery codes" question="Make 10 new codes? Any earlier codes stop working." confirmLabel="Make new codes" onConfirm={() => void generate()} disabled={action.busy} />
        </div>
      )}
    </>
  );
}
