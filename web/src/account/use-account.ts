import { useCallback, useEffect, useState } from "react";
import type { EventReply, PushPayload } from "#protocol";
import { useHub } from "../hub/use-hub.ts";
import { dropSessionCookie, SESSION_END_SENTENCES } from "./session-end.ts";

export type Me = EventReply<"account:me">;

export type AccountState =
  | { status: "loading" }
  | { status: "signed-in"; me: Me }
  | { status: "signed-out" }
  /** The hub ended the session while the page was open: why, in one sentence. */
  | { status: "ended"; reason: PushPayload<"session:revoked">["reason"]; sentence: string };

/**
 * Who is logged in on this page, asked again on every (re)connection, and the session's end as
 * the hub pushes it, with its reason; the page then drops the cookie and connects anew.
 */
export function useAccount(): { state: AccountState; reload: () => void } {
  const hub = useHub();
  const [state, setState] = useState<AccountState>({ status: "loading" });

  const reload = useCallback(() => {
    void hub.call("account:me", {}).then((ack) => {
      setState((previous) => {
        if (previous.status === "ended") return previous;
        return ack.ok ? { status: "signed-in", me: ack.data } : { status: "signed-out" };
      });
    });
  }, [hub]);

  useEffect(() => {
    if (hub.socket.connected) reload();
    const onConnect = () => reload();
    // A cookie the hub no longer accepts: drop it, then connect without it.
    const onRefused = (error: Error & { data?: { code?: string } }) => {
      if (error.data?.code !== "invalid_token" && error.data?.code !== "session_expired") return;
      setState((previous) => (previous.status === "ended" ? previous : { status: "signed-out" }));
      void dropSessionCookie().then(() => hub.socket.connect());
    };
    hub.socket.on("connect", onConnect);
    hub.socket.on("connect_error", onRefused);
    const stopListening = hub.onPush("session:revoked", ({ reason }) => {
      setState({ status: "ended", reason, sentence: SESSION_END_SENTENCES[reason] });
      void dropSessionCookie().then(() => {
        // The hub closes the socket next; a fresh one, without the cookie, serves the login page.
        if (hub.socket.connected) hub.socket.once("disconnect", () => hub.socket.connect());
        else hub.socket.connect();
      });
    });
    return () => {
      hub.socket.off("connect", onConnect);
      hub.socket.off("connect_error", onRefused);
      stopListening();
    };
  }, [hub, reload]);

  return { state, reload };
}
