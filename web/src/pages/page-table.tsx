import type { ReactNode } from "react";
import { LogInPage } from "./LogInPage.tsx";
import { NotFoundPage } from "./NotFoundPage.tsx";

/** Which page each path shows; a path not listed here shows "not found". */
const PAGES: Record<string, () => ReactNode> = {
  "/": () => <LogInPage />,
  "/login": () => <LogInPage />,
};

export function pageFor(path: string): ReactNode {
  const page = PAGES[path];
  return page ? page() : <NotFoundPage />;
}
