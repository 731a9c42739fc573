import type { DevicePushName, DevicePushPayload } from "#protocol";
import { type ConnectFailure, type DeviceConnection, HubConnectionError } from "../terminal/hub-connection.ts";
import type { HubTarget } from "../terminal/hub-settings.ts";
import { createDeviceConnection, type DeviceCaller, type DeviceCredentials } from "./device-hub.ts";
import { type HeardWhileListing, nothingHeard, settleListing } from "./challenge-listing.ts";
import { describeProtocolError, shortConnectReason } from "./device-messages.ts";
import { connectTimeoutMs, reconnectDelayMs } from "./reconnect-backoff.ts";

/** A login waiting for the person's decision, as `challenge:new` and `challenge:list` carry it. */
export type PendingChallenge = DevicePushPayload<"challenge:new">;

/** What the connection indicator shows. `retryAt` is a Date.now() value. */
export type LinkStatus =
  /** `lastTry`: why the attempt before this one failed, when one did. */
  | { state: "connecting"; lastTry?: string }
  | { state: "connected" }
  | { state: "reconnecting"; retryAt: number; reason: string }
  | { state: "offline"; reason: string };

export type RevocationCause = "revoked" | "token_refused";

/** Everything a paired device hears from its hub; every member is optional. */
export interface DeviceLinkListener {
  status?(status: LinkStatus): void;
  /** The full list of pending logins, after every (re)connect. */
  challengesListed?(challenges: PendingChallenge[]): void;
  challengeNew?(challenge: DevicePushPayload<"challenge:new">): void;
  challengeClosed?(closed: DevicePushPayload<"challenge:closed">): void;
  /** The hub unpaired this device (push), or refused its token at connect time. The link stops. */
  revoked?(cause: RevocationCause): void;
  notice?(notice: DevicePushPayload<"security:notice">): void;
  /** Something went wrong that the person should see, worded for them. */
  problem?(message: string): void;
}

/**
 * One paired account's live connection to its hub: connects, lists pending logins after every
 * connect, hands pushes on, and reconnects with exponential back-off until closed or revoked.
 */
export class DeviceLink {
  private readonly connection: DeviceConnection;
  private attempt = 0;
  /** Attempts in a row that gave up waiting for the hub: the next one waits longer. */
  private timedOut = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  /** Set while `challenge:list` is on its way, so that pushes overtaking its ack are not lost. */
  private heardWhileListing: HeardWhileListing | undefined;

  constructor(
    target: HubTarget,
    credentials: DeviceCredentials,
    private readonly listener: DeviceLinkListener,
    private readonly random: () => number = Math.random,
  ) {
    this.connection = createDeviceConnection(target, credentials);
    this.connection.onConnect(() => void this.onConnect());
    this.connection.onConnectFailure((failure) => this.onConnectError(failure));
    this.connection.onDisconnect((reason) => this.scheduleReconnect(`connection lost (${reason})`));
    this.onPush("challenge:new", (challenge) => {
      this.heardWhileListing?.added.push(challenge);
      listener.challengeNew?.(challenge);
    });
    this.onPush("challenge:closed", (closed) => {
      this.heardWhileListing?.closedIds.add(closed.challengeId);
      listener.challengeClosed?.(closed);
    });
    this.onPush("security:notice", (notice) => listener.notice?.(notice));
    this.onPush("device:revoked", () => this.stopRevoked("revoked"));
  }

  start(): void {
    this.setStatus({ state: "connecting" });
    this.connection.connect();
  }

  /** Sends one event now; rejects at once when the link is not connected. */
  readonly call: DeviceCaller = (event, payload) => this.connection.call(event, payload);

  close(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.connection.close();
  }

  private async onConnect(): Promise<void> {
    this.attempt = 0;
    this.timedOut = 0;
    this.setStatus({ state: "connected" });
    const heard = nothingHeard();
    this.heardWhileListing = heard;
    try {
      const listed = await this.call("challenge:list", {});
      if (listed.ok) this.listener.challengesListed?.(settleListing(listed.data.challenges, heard));
      else this.listener.problem?.(`Could not list pending logins: ${describeProtocolError(listed.error)}`);
    } catch (error) {
      // A lost connection is retried, and the list asked again, after the next connect.
      if (!(error instanceof HubConnectionError)) throw error;
    } finally {
      if (this.heardWhileListing === heard) this.heardWhileListing = undefined;
    }
  }

  private onConnectError(failure: ConnectFailure): void {
    if (failure.kind === "refused" && failure.code === "invalid_device_token") return this.stopRevoked("token_refused");
    this.timedOut = failure.kind === "timeout" ? this.timedOut + 1 : 0;
    this.scheduleReconnect(shortConnectReason(failure));
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    const delayMs = reconnectDelayMs(this.attempt++, this.random);
    this.setStatus({ state: "reconnecting", retryAt: Date.now() + delayMs, reason });
    this.retryTimer = setTimeout(() => {
      if (this.stopped) return;
      // An attempt may wait a minute for a busy hub: the person sees it is a retry, and why.
      this.setStatus({ state: "connecting", lastTry: reason });
      this.connection.connect(connectTimeoutMs(this.timedOut));
    }, delayMs);
  }

  private stopRevoked(cause: RevocationCause): void {
    if (this.stopped) return;
    this.close();
    const reason = cause === "revoked" ? "unpaired by the hub" : "the hub no longer accepts this device";
    this.setStatus({ state: "offline", reason });
    this.listener.revoked?.(cause);
  }

  private setStatus(status: LinkStatus): void {
    this.listener.status?.(status);
  }

  /** Pushes are checked against the protocol's schemas: a malformed one is reported, not acted on. */
  private onPush<P extends DevicePushName>(name: P, handle: (payload: DevicePushPayload<P>) => void): void {
    this.connection.onPush(name, handle, () =>
      this.listener.problem?.(`The hub sent a ${name} this app does not understand; the two may be different versions.`),
    );
  }
}
