import { useState, type ReactNode } from "react";
import { ConnectionIndicator } from "./components/ConnectionIndicator.tsx";
import { HubConnection } from "./hub/hub-connection.ts";
import { HubContext } from "./hub/use-hub.ts";
import { Link, useLocation } from "./router.tsx";
import { pageFor } from "./pages/page-table.tsx";

/** The frame every page shares: the brand, the connection state, and the page itself. */
export function App() {
  const [hub] = useState(() => new HubConnection());
  const { path } = useLocation();
  return (
    <HubContext value={hub}>
      <Frame>{pageFor(path)}</Frame>
    </HubContext>
  );
}

function Frame({ children }: { children: ReactNode }) {
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="top-bar">
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true" />
          PairGate
        </Link>
        <ConnectionIndicator />
      </header>
      <main id="main" className="page">
        {children}
      </main>
      <footer className="footer">
        <p>PairGate signs you in with your password, this browser's own key and your device (the PairGate authenticator or an authenticator app).</p>
      </footer>
    </>
  );
}
