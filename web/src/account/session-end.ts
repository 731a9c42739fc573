import type { PushPayload } from "#protocol";

type EndReason = PushPayload<"session:revoked">["reason"];

/** What the page tells the person when the hub ends this browser's session, by the push's reason. */
export const SESSION_END_SENTENCES: Record<EndReason, string> = {
  logout: "You logged out.",
  revoked: "This session was ended from another of your sessions.",
  logout_all: "You logged out everywhere, so this session ended too.",
  password_changed: "Your password was changed, which ended this session.",
  password_reset: "Your password was reset with an emailed code, which ended every session.",
  expired: "This session reached its time limit.",
  account_locked: "An administrator locked your account, which ended every session.",
  key_removed: "The browser key this session logged in with was removed from your account.",
  account_deleted: "Your account was deleted.",
};

/**
 * Drops the session cookie (the page cannot: it is HttpOnly) once the hub has ended the session,
 * so that the next connection is a fresh, anonymous one.
 */
export async function dropSessionCookie(): Promise<void> {
  await fetch("/api/web/logout", { method: "POST", credentials: "same-origin" }).catch(() => undefined);
}
