import type { ReactNode } from "react";
import { AccountOverviewPage } from "../account/AccountOverviewPage.tsx";
import { ActivityPage } from "../account/ActivityPage.tsx";
import { DevicesPage } from "../account/DevicesPage.tsx";
import { KeysPage } from "../account/KeysPage.tsx";
import { PasswordPage } from "../account/PasswordPage.tsx";
import { RecoveryCodesPage } from "../account/RecoveryCodesPage.tsx";
import { SessionsPage } from "../account/SessionsPage.tsx";
import { AdminPage } from "../admin/AdminPage.tsx";
import { ChatPage } from "../chat/ChatPage.tsx";
import { LogInPage } from "./LogInPage.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";

/** Which page each path shows; a path not listed here shows "not found". */
const PAGES: Record<string, () => ReactNode> = {
  "/": () => <LogInPage />,
  "/login": () => <LogInPage />,
  "/account": () => <AccountOverviewPage />,
  "/account/sessions": () => <SessionsPage />,
  "/account/devices": () => <DevicesPage />,
  "/account/recovery-codes": () => <RecoveryCodesPage />,
  "/account/password": () => <PasswordPage />,
  "/account/activity": () => <ActivityPage />,
  "/account/keys": () => <KeysPage />,
  "/chat": () => <ChatPage />,
  "/admin": () => <AdminPage />,
};

export function pageFor(path: string): ReactNode {
  const page = PAGES[path];
  return page ? page() : <NotFoundPage />;
}
