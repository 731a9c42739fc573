import { navigate } from "../router.tsx";
import { AccountShell } from "./AccountShell.tsx";
import { when } from "./account-calls.ts";
import { Outcome, useAction } from "./parts.tsx";
import { useHub } from "../hub/use-hub.ts";

/** Who is logged in: the account's facts, and logging out of this browser. */
export function AccountOverviewPage() {
  const hub = useHub();
  const action = useAction();
  const logOut = () =>
    action.run(async () => {
      const response = await fetch("/api/web/logout", { method: "POST", credentials: "same-origin" });
      if (!response.ok && response.status !== 401) throw new Error("The hub could not log you out; try again.");
      hub.socket.disconnect().connect();
      navigate("/login");
    });
  return (
    <AccountShell title="Your account">
      {(me) => (
        <>
          <dl className="facts" data-testid="signed-in-as">
            <dt>Username</dt>
            <dd>{me.user.username}</dd>
            <dt>Email</dt>
            <dd>{me.user.email}</dd>
            <dt>Role</dt>
            <dd>{me.user.role === "admin" ? "Administrator" : "User"}</dd>
            <dt>Member since</dt>
            <dd>{when(me.user.createdAt)}</dd>
            <dt>Password last changed</dt>
            <dd>{when(me.user.passwordChangedAt)}</dd>
            <dt>This session ends</dt>
            <dd>{when(me.session.expiresAt)}</dd>
          </dl>
          <Outcome error={action.error} notice={action.notice} />
          <div className="actions">
            <button type="button" className="button button-secondary" onClick={() => void logOut()} disabled={action.busy}>
              Log out of this browser
            </button>
          </div>
        </>
      )}
    </AccountShell>
  );
}
