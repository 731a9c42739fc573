import { io, type Socket } from "socket.io-client";
import type { z } from "zod";
import {
  type Ack,
  type ClientHandshakeAuth,
  type ClientPushName,
  clientEvents,
  clientPushes,
  type DeviceHandshakeAuth,
  type DevicePushName,
  type DevicePushPayload,
  deviceEvents,
  devicePushes,
  type InputOf,
  type PushPayload,
  type ReplyOf,
} from "#protocol";
import { parseAck } from "./acks.ts";
import { classifyConnectError, type ConnectFailure, HubConnectionError, type SocketConnectError } from "./connect-failures.ts";
import type { HubTarget } from "./hub-settings.ts";

export const HUB_CONNECT_TIMEOUT_MS = 10_000;
// Login and password changes wait for a bcrypt hash in the hub's worker pool, which may queue.
export const HUB_CALL_TIMEOUT_MS = 20_000;

/** Each namespace's tables in protocol/: what may be sent, what comes back, what the hub pushes. */
const NAMESPACES = {
  "/client": { events: clientEvents, pushes: clientPushes },
  "/device": { events: deviceEvents, pushes: devicePushes },
} as const;

export type HubNamespace = keyof typeof NAMESPACES;
type Events<N extends HubNamespace> = (typeof NAMESPACES)[N]["events"];
export type HubEventName<N extends HubNamespace> = keyof Events<N> & string;
type PushPayloads = {
  "/client": { [P in ClientPushName]: PushPayload<P> };
  "/device": { [P in DevicePushName]: DevicePushPayload<P> };
};
export type HubPushName<N extends HubNamespace> = keyof PushPayloads[N] & string;
export type HubPushPayload<N extends HubNamespace, P extends HubPushName<N>> = PushPayloads[N][P];
export type HandshakeAuth<N extends HubNamespace> = N extends "/device" ? DeviceHandshakeAuth : ClientHandshakeAuth;

export interface HubConnectionOptions {
  /** How long a call waits for its ack. */
  callTimeoutMs?: number;
  /** How long a connect attempt waits for the namespace to accept the socket, unless `connect()` is told otherwise. */
  connectTimeoutMs?: number;
}

// socket.io's typed emit cannot check a payload whose event name is a type parameter; the
// methods below keep the strict signatures and hand the socket this untyped view.
type UntypedSocket = {
  connected: boolean;
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (...args: never[]) => void): void;
  off(event: string, listener: (...args: never[]) => void): void;
  connect(): void;
  close(): void;
};

/**
 * One socket to a hub namespace, typed by that namespace's protocol tables: a call resolves with
 * the ack, checked against the event's reply schema; a push reaches its listener only when it
 * fits its schema. Reconnection is off: a one-shot command fails instead of waiting forever, and
 * a long-lived caller (the authenticator's DeviceLink) decides itself when to `connect()` again.
 */
export class HubConnection<N extends HubNamespace> {
  private readonly socket: UntypedSocket;
  private readonly manager: Socket["io"];
  private readonly pendingRejections = new Set<(error: HubConnectionError) => void>();
  // Every connect attempt ends in exactly one of: a `connect`, or one report to these listeners.
  private readonly failureListeners = new Set<{ listener: (failure: ConnectFailure) => void }>();
  private readonly disconnectListeners = new Set<{ listener: (reason: string) => void }>();
  private attemptTimer: ReturnType<typeof setTimeout> | undefined;
  private attemptPending = false;

  constructor(
    readonly namespace: N,
    socket: Socket,
    private readonly callTimeoutMs = HUB_CALL_TIMEOUT_MS,
    private readonly connectTimeoutMs = HUB_CONNECT_TIMEOUT_MS,
  ) {
    this.socket = socket as unknown as UntypedSocket;
    this.manager = socket.io;
    socket.on("connect", () => this.endAttempt());
    socket.on("connect_error", (error: SocketConnectError) => this.failAttempt(classifyConnectError(error)));
    socket.on("disconnect", (reason) => {
      for (const reject of this.pendingRejections) reject(new HubConnectionError({ kind: "disconnected", reason }));
      // socket.io-client also says "disconnect" when the transport closes before the namespace
      // answered (a hub that went mid-handshake): that is how this attempt failed, not a lost connection.
      if (this.attemptPending) return this.failAttempt({ kind: "disconnected", reason });
      for (const { listener } of [...this.disconnectListeners]) listener(reason);
    });
  }

  /**
   * Sends one event and resolves with the hub's ack; rejects only when no usable ack can arrive.
   * Nothing is queued while offline: an approval sent minutes late, after a reconnect, would
   * surprise the person who pressed the key.
   */
  call<E extends HubEventName<N>>(event: E, payload: InputOf<Events<N>, E>, timeoutMs = this.callTimeoutMs): Promise<Ack<ReplyOf<Events<N>, E>>> {
    return new Promise((resolve, reject) => {
      const settle = (error: HubConnectionError | undefined, reply?: unknown) => {
        clearTimeout(timer);
        this.pendingRejections.delete(rejectWith);
        if (error) return reject(error);
        const ack = parseAck(NAMESPACES[this.namespace].events as Events<N>, event, reply);
        if (!ack) return reject(new HubConnectionError({ kind: "bad_reply", event }));
        resolve(ack);
      };
      const rejectWith = (error: HubConnectionError) => settle(error);
      const timer = setTimeout(() => settle(new HubConnectionError({ kind: "timeout" })), timeoutMs);
      this.pendingRejections.add(rejectWith);
      if (!this.socket.connected) return settle(new HubConnectionError({ kind: "disconnected", reason: "not connected" }));
      this.socket.emit(event, payload, (reply: unknown) => settle(undefined, reply));
    });
  }

  /**
   * Listens to one hub push; returns the function that stops listening. A payload that does not
   * fit the push's schema is not handed on; `malformed` hears of it, to tell the person.
   */
  onPush<P extends HubPushName<N>>(name: P, listener: (payload: HubPushPayload<N, P>) => void, malformed?: (name: P) => void): () => void {
    const schema = (NAMESPACES[this.namespace].pushes as Record<string, { payload: z.ZodType }>)[name]!.payload;
    const receive = (payload: unknown) => {
      const parsed = schema.safeParse(payload);
      if (parsed.success) listener(parsed.data as HubPushPayload<N, P>);
      else malformed?.(name);
    };
    this.socket.on(name, receive);
    return () => this.socket.off(name, receive);
  }

  /** Calls `listener` after every successful connect; returns the function that stops listening. */
  onConnect(listener: () => void): () => void {
    this.socket.on("connect", listener);
    return () => this.socket.off("connect", listener);
  }

  /** Calls `listener` when a connect attempt fails, saying why; returns the function that stops listening. */
  onConnectFailure(listener: (failure: ConnectFailure) => void): () => void {
    const registration = { listener };
    this.failureListeners.add(registration);
    return () => this.failureListeners.delete(registration);
  }

  /** Calls `listener` if the connected socket is closed (by the hub or the network); returns the function that stops listening. */
  onDisconnect(listener: (reason: string) => void): () => void {
    const registration = { listener };
    this.disconnectListeners.add(registration);
    return () => this.disconnectListeners.delete(registration);
  }

  /** Starts a connect attempt; its outcome reaches `onConnect` or `onConnectFailure` (a `timeout` after `timeoutMs`). */
  connect(timeoutMs = this.connectTimeoutMs): void {
    this.endAttempt();
    this.attemptPending = true;
    this.manager.timeout(timeoutMs);
    // The manager's timeout covers the transport only. Once it is open, socket.io-client waits for
    // the namespace's answer without limit, so a hub stuck before it answers (in its handshake's
    // database read, say) would leave the caller connecting for ever.
    this.attemptTimer = setTimeout(() => {
      this.socket.close();
      this.failAttempt({ kind: "timeout" });
    }, timeoutMs);
    this.socket.connect();
  }

  close(): void {
    this.endAttempt();
    this.socket.close();
  }

  private endAttempt(): void {
    clearTimeout(this.attemptTimer);
    this.attemptTimer = undefined;
    this.attemptPending = false;
  }

  private failAttempt(failure: ConnectFailure): void {
    if (!this.attemptPending) return;
    this.endAttempt();
    for (const { listener } of [...this.failureListeners]) listener(failure);
  }
}

/** A connection to `<hub><namespace>` that is not connected yet, verifying the hub's certificate against `target.ca`. */
export function createHubConnection<N extends HubNamespace>(
  namespace: N,
  target: HubTarget,
  auth: HandshakeAuth<N> = {},
  options: HubConnectionOptions = {},
): HubConnection<N> {
  const socket = io(`${target.url}${namespace}`, {
    transports: ["websocket"],
    ca: target.ca,
    auth: { ...auth },
    autoConnect: false,
    reconnection: false,
    forceNew: true,
    timeout: HUB_CONNECT_TIMEOUT_MS,
  });
  return new HubConnection(namespace, socket, options.callTimeoutMs, options.connectTimeoutMs);
}

/** Opens a connection to `<hub><namespace>`; rejects with a HubConnectionError that says why not. */
export function connectToHub<N extends HubNamespace>(
  namespace: N,
  target: HubTarget,
  auth: HandshakeAuth<N> = {},
  options: HubConnectionOptions = {},
): Promise<HubConnection<N>> {
  const connection = createHubConnection(namespace, target, auth, options);
  return new Promise((resolve, reject) => {
    const stopWaiting = () => {
      stopConnect();
      stopFailure();
    };
    const stopConnect = connection.onConnect(() => {
      stopWaiting();
      resolve(connection);
    });
    const stopFailure = connection.onConnectFailure((failure) => {
      stopWaiting();
      connection.close();
      reject(new HubConnectionError(failure));
    });
    connection.connect();
  });
}

export { classifyConnectError, type ConnectFailure, HubConnectionError } from "./connect-failures.ts";

/** What each terminal program holds. */
export type ClientConnection = HubConnection<"/client">;
export type DeviceConnection = HubConnection<"/device">;
