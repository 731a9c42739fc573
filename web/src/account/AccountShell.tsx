import type { ReactNode } from "react";
import "./account.css";
import { Link, useLocation, usePageTitle, type RoutePath } from "../router.tsx";
import { PasswordDialog } from "./PasswordDialog.tsx";
import { useAccount, type Me } from "./use-account.ts";

const SECTIONS: { to: RoutePath; label: string; admin?: true }[] = [
  { to: "/account", label: "Overview" },
  { to: "/account/sessions", label: "Sessions" },
  { to: "/account/devices", label: "Devices" },
  { to: "/account/recovery-codes", label: "Recovery codes" },
  { to: "/account/password", label: "Password" },
  { to: "/account/keys", label: "Keys" },
  { to: "/account/activity", label: "Activity" },
  { to: "/chat", label: "Chat" },
  { to: "/admin", label: "Administration", admin: true },
];

/**
 * The frame of every page behind the login: the account's sections, and the page itself once the
 * hub has said who is logged in. A session that ends meanwhile replaces the page with the reason.
 */
export function AccountShell({ title, children }: { title: string; children: (me: Me, reload: () => void) => ReactNode }) {
  usePageTitle(title);
  const { state, reload } = useAccount();
  const { path } = useLocation();
  if (state.status === "ended") {
    return (
      <section className="card" aria-labelledby="ended-title">
        <h1 id="ended-title" tabIndex={-1}>
          You have been logged out
        </h1>
        <p className="alert alert-error" role="alert" data-testid="session-ended">
          {state.sentence}
        </p>
        <p>
          <Link to="/login" className="button">
            Log in again
          </Link>
        </p>
      </section>
    );
  }
  if (state.status !== "signed-in") {
    return (
      <section className="card" aria-labelledby="account-title" aria-busy={state.status === "loading"}>
        <h1 id="account-title" tabIndex={-1}>
          {title}
        </h1>
        <p role="status">{state.status === "loading" ? "Loading your account…" : "You are not logged in."}</p>
        {state.status === "signed-out" && (
          <p>
            <Link to="/login" className="button">
              Log in
            </Link>
          </p>
        )}
      </section>
    );
  }
  const { me } = state;
  return (
    <div className="account-layout">
      <nav className="account-nav" aria-label="Account">
        <p className="account-nav-who">
          <span className="visually-hidden">Logged in as </span>
          <strong>{me.user.username}</strong>
        </p>
        <ul>
          {SECTIONS.filter((section) => !section.admin || me.user.role === "admin").map((section) => (
            <li key={section.to}>
              <Link to={section.to} aria-current={path === section.to ? "page" : undefined}>
                {section.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <section className="card account-main" aria-labelledby="page-title">
        <h1 id="page-title" tabIndex={-1}>
          {title}
        </h1>
        {children(me, reload)}
      </section>
      <PasswordDialog />
    </div>
  );
}
