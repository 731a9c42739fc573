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
import { ForgotPasswordPage } from "./ForgotPasswordPage.tsx";
import { LogInPage } from "./LogInPage.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";
import { ResetPasswordPage } from "./ResetPasswordPage.tsx";
import { SignUpPage } from "./SignUpPage.tsx";
import { VerifyEmailPage } from "./VerifyEmailPage.tsx";

/** Which page each path shows; a path not listed here shows "not found". */
const PAGES: Record<string, () => ReactNode> = {
  "/": () => <LogInPage />,
  "/login": () => <LogInPage />,
  "/signup": () => <SignUpPage />,
  "/verify-email": () => <VerifyEmailPage />,
  "/forgot-password": () => <ForgotPasswordPage />,
  "/reset-password": () => <ResetPasswordPage />,
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
