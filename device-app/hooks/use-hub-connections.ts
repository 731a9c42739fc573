import { useCallback, useEffect, useRef, useState } from "react";
import type { DevicePushPayload } from "#protocol";
import type { DeviceCaller } from "../device-hub.ts";
import { DeviceLink, type LinkStatus, type PendingChallenge, type RevocationCause } from "../device-link.ts";
import { accountHubTarget } from "../device-settings.ts";
import type { DeviceAccount } from "../otp-data.ts";

/** What the app does with each account's hub events. */
export interface HubEventHandlers {
  challengesListed(account: DeviceAccount, challenges: PendingChallenge[]): void;
  challengeNew(account: DeviceAccount, challenge: PendingChallenge): void;
  challengeClosed(account: DeviceAccount, closed: DevicePushPayload<"challenge:closed">): void;
  revoked(account: DeviceAccount, cause: RevocationCause): void;
  notice(account: DeviceAccount, notice: DevicePushPayload<"security:notice">): void;
  problem(account: DeviceAccount, message: string): void;
}

export interface HubConnections {
  statuses: Record<string, LinkStatus>;
  /** The way to reach the account's hub now, or undefined while it is not connected. */
  callerFor(accountId: string): DeviceCaller | undefined;
}

/**
 * One live DeviceLink per paired account, opened when the account appears and closed when it is
 * revoked, removed, or the app quits. Handlers are read through a ref, so a re-render never
 * reconnects anything.
 */
export function useHubConnections(accounts: DeviceAccount[], handlers: HubEventHandlers): HubConnections {
  const [statuses, setStatuses] = useState<Record<string, LinkStatus>>({});
  const links = useRef(new Map<string, { key: string; link: DeviceLink }>());
  const handlersRef = useRef(handlers);
  handlersRef.current = handlers;

  const paired = accounts.filter((account) => !account.revokedAt);
  const pairedKey = paired.map(linkKey).join("\n");

  // Keyed on pairedKey rather than `paired`: links change only when the set of paired accounts
  // (or a token, hub or CA) does, not on every re-render.
  useEffect(() => {
    const wanted = new Map(paired.map((account) => [account.id, account]));
    for (const [accountId, open] of links.current) {
      if (wanted.has(accountId) && linkKey(wanted.get(accountId) as DeviceAccount) === open.key) continue;
      open.link.close();
      links.current.delete(accountId);
    }
    let cancelled = false;
    for (const account of wanted.values()) {
      if (links.current.has(account.id)) continue;
      const setStatus = (status: LinkStatus) => setStatuses((all) => ({ ...all, [account.id]: status }));
      setStatus({ state: "connecting" });
      accountHubTarget(account).then(
        (target) => {
          if (cancelled) return;
          const credentials = { deviceId: account.id, deviceToken: account.deviceToken };
          const link = new DeviceLink(target, credentials, listenerFor(account, setStatus, () => handlersRef.current));
          links.current.set(account.id, { key: linkKey(account), link });
          link.start();
        },
        (error: unknown) => setStatus({ state: "offline", reason: error instanceof Error ? error.message : String(error) }),
      );
    }
    return () => {
      cancelled = true;
    };
  }, [pairedKey]);

  useEffect(() => {
    const open = links.current;
    return () => {
      for (const { link } of open.values()) link.close();
      open.clear();
    };
  }, []);

  const callerFor = useCallback(
    (accountId: string) => (statuses[accountId]?.state === "connected" ? links.current.get(accountId)?.link.call : undefined),
    [statuses],
  );

  return { statuses, callerFor };
}

function linkKey(account: DeviceAccount): string {
  return [account.id, account.hub, account.ca ?? "", account.deviceToken].join("\t");
}

function listenerFor(account: DeviceAccount, setStatus: (status: LinkStatus) => void, handlers: () => HubEventHandlers) {
  return {
    status: setStatus,
    challengesListed: (challenges: PendingChallenge[]) => handlers().challengesListed(account, challenges),
    challengeNew: (challenge: PendingChallenge) => handlers().challengeNew(account, challenge),
    challengeClosed: (closed: DevicePushPayload<"challenge:closed">) => handlers().challengeClosed(account, closed),
    revoked: (cause: RevocationCause) => handlers().revoked(account, cause),
    notice: (notice: DevicePushPayload<"security:notice">) => handlers().notice(account, notice),
    problem: (message: string) => handlers().problem(account, message),
  };
}
