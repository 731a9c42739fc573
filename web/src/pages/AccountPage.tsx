import { useEffect, useState } from "react";
import type { EventReply } from "#protocol";
import { outcome } from "../hub/hub-errors.ts";
import { useHub } from "../hub/use-hub.ts";
import { Link, usePageTitle } from "../router.tsx";

type Me = EventReply<"account:me">;

/** Who is logged in on this page (the account pages proper build on this). */
export function AccountPage() {
  usePageTitle("Your account");
  const hub = useHub();
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    void hub.call("account:me", {}).then((ack) => {
      const result = outcome(ack);
      if (result.error) setError(result.error.code === "unauthorized" ? "You are not logged in." : result.error.message);
      else setMe(result.data);
    });
  }, [hub]);
  return (
    <section className="card" aria-labelledby="account-title">
      <h1 id="account-title" tabIndex={-1}>
        Your account
      </h1>
      {me && (
        <p className="lead" data-testid="signed-in-as">
          Logged in as <strong>{me.user.username}</strong> ({me.user.email}).
        </p>
      )}
      {error && (
        <>
          <p className="alert alert-error" role="alert">
            {error}
          </p>
          <p>
            <Link to="/login">Log in</Link>
          </p>
        </>
      )}
    </section>
  );
}
