import type { ReactNode } from "react";
import { AccountPage } from "./AccountPage.tsx";
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
  "/account": () => <AccountPage />,
};

export function pageFor(path: string): ReactNode {
  const page = PAGES[path];
  return page ? page() : <NotFoundPage />;
}
