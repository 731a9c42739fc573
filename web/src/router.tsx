import { useEffect, useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from "react";

/** The app's own paths; the hub answers each with index.html and this module picks the page. */
export type RoutePath =
  | "/"
  | "/signup"
  | "/verify-email"
  | "/login"
  | "/forgot-password"
  | "/reset-password"
  | "/account"
  | "/account/sessions"
  | "/account/devices"
  | "/account/recovery-codes"
  | "/account/password"
  | "/account/activity"
  | "/account/keys"
  | "/chat"
  | "/admin";

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => notify());

function notify(): void {
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Goes to a page of the app without reloading it; `state` carries what the next page needs (never a secret in the URL). */
export function navigate(path: RoutePath, search: Record<string, string> = {}, replace = false): void {
  const query = new URLSearchParams(search).toString();
  const url = query ? `${path}?${query}` : path;
  if (replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  notify();
}

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, () => location.pathname + location.search);
  const url = new URL(href, location.origin);
  return { path: url.pathname.replace(/\/+$/, "") || "/", query: url.searchParams };
}

/** A real link (it opens in a new tab too) that navigates within the app on a plain click. */
export function Link({ to, search, ...rest }: { to: RoutePath; search?: Record<string, string> } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const query = search ? new URLSearchParams(search).toString() : "";
  const href = query ? `${to}?${query}` : to;
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to, search);
  };
  return <a href={href} onClick={onClick} {...rest} />;
}

/** Sets the tab's title and moves focus to the page heading, so a screen reader announces the new page. */
export function usePageTitle(title: string): void {
  useEffect(() => {
    document.title = `${title} · PairGate`;
    document.querySelector<HTMLElement>("main h1")?.focus();
  }, [title]);
}
