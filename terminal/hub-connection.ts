import { io, type Socket } from "socket.io-client";
import {
  type Ack,
  type ClientEventName,
  type ClientPushName,
  type ClientToHubEvents,
  clientEvents,
  CONNECT_ERROR_CODES,
  type ConnectErrorCode,
  type EventInput,
  type EventReply,
  type HubToClientEvents,
  type PushPayload,
} from "#protocol";
import type { HubTarget } from "./hub-settings.ts";

export const HUB_CONNECT_TIMEOUT_MS = 10_000;
// Login and password changes wait for a bcrypt hash in the hub's worker pool, which may queue.
export const HUB_CALL_TIMEOUT_MS = 20_000;

/** Why there is no usable connection. cli-client/messages.ts and device-app/device-messages.ts word it for people. */
export type ConnectFailure =
  | { kind: "refused"; code: ConnectErrorCode | undefined; message: string }
  | { kind: "tls"; reason: string }
  | { kind: "unreachable"; reason: string }
  | { kind: "timeout" }
  | { kind: "disconnected"; reason: string }
  | { kind: "bad_reply"; event: string };

export class HubConnectionError extends Error {
  override readonly name = "HubConnectionError";

  constructor(readonly failure: ConnectFailure) {
    super(`hub connection failed: ${failure.kind}`);
  }
}

type ClientSocket = Socket<HubToClientEvents, ClientToHubEvents>;
// socket.io's typed emit cannot check a payload whose event name is a type parameter;
// `call` keeps the strict signature and hands the emit to this untyped view.
type UntypedEmitter = {
  emit(event: string, ...args: unknown[]): void;
  on(event: string, listener: (payload: never) => void): void;
  off(event: string, listener: (payload: never) => void): void;
};

/** One open `/client` socket with typed, acked calls. */
export class HubConnection {
  private readonly pendingRejections = new Set<(error: HubConnectionError) => void>();

  constructor(private readonly socket: ClientSocket) {
    socket.on("disconnect", (reason) => {
      for (const reject of this.pendingRejections) reject(new HubConnectionError({ kind: "disconnected", reason }));
    });
  }

  /** Sends one event and resolves with the hub's ack; rejects only when no ack can arrive. */
  call<E extends ClientEventName>(event: E, payload: EventInput<E>, timeoutMs = HUB_CALL_TIMEOUT_MS): Promise<Ack<EventReply<E>>> {
    return new Promise((resolve, reject) => {
      const settle = (error: HubConnectionError | undefined, reply?: unknown) => {
        clearTimeout(timer);
        this.pendingRejections.delete(rejectWith);
        if (error) return reject(error);
        const ack = parseAck(event, reply);
        if (!ack) return reject(new HubConnectionError({ kind: "bad_reply", event }));
        resolve(ack);
      };
      const rejectWith = (error: HubConnectionError) => settle(error);
      const timer = setTimeout(() => settle(new HubConnectionError({ kind: "timeout" })), timeoutMs);
      this.pendingRejections.add(rejectWith);
      if (!this.socket.connected) return settle(new HubConnectionError({ kind: "disconnected", reason: "not connected" }));
      (this.socket as unknown as UntypedEmitter).emit(event, payload, (reply: unknown) => settle(undefined, reply));
    });
  }

  /** Listens to one hub push; returns the function that stops listening. */
  onPush<P extends ClientPushName>(name: P, listener: (payload: PushPayload<P>) => void): () => void {
    const socket = this.socket as unknown as UntypedEmitter;
    socket.on(name, listener);
    return () => socket.off(name, listener);
  }

  /** Calls `listener` if the socket is closed (by the hub or the network); returns the function that stops listening. */
  onDisconnect(listener: (reason: string) => void): () => void {
    this.socket.on("disconnect", listener);
    return () => this.socket.off("disconnect", listener);
  }

  close(): void {
    this.socket.close();
  }
}

/** Opens a websocket to `<hub>/client`, verifying the hub's certificate against `target.ca`. */
export function connectToHub(target: HubTarget, token?: string): Promise<HubConnection> {
  const socket: ClientSocket = io(`${target.url}/client`, {
    transports: ["websocket"],
    ca: target.ca,
    auth: token ? { token } : {},
    reconnection: false,
    forceNew: true,
    timeout: HUB_CONNECT_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.off("connect_error");
      resolve(new HubConnection(socket));
    });
    socket.once("connect_error", (error) => {
      socket.close();
      reject(new HubConnectionError(classifyConnectError(error)));
    });
  });
}

type SocketConnectError = Error & { data?: unknown; type?: string; description?: unknown };

export function classifyConnectError(error: SocketConnectError): ConnectFailure {
  if (error.type !== "TransportError") {
    if (error.message === "timeout") return { kind: "timeout" };
    return { kind: "refused", code: refusalCode(error.data), message: error.message };
  }
  // engine.io wraps the ws error event; the Node error (with its code) is inside it.
  const description = error.description as { error?: unknown } | undefined;
  const cause = description?.error instanceof Error ? (description.error as NodeJS.ErrnoException) : undefined;
  const reason = cause?.message ?? error.message;
  if (cause && isTlsFailure(cause)) return { kind: "tls", reason };
  return { kind: "unreachable", reason };
}

function refusalCode(data: unknown): ConnectErrorCode | undefined {
  const code = (data as { code?: unknown } | undefined)?.code;
  return CONNECT_ERROR_CODES.find((known) => known === code);
}

function isTlsFailure(error: NodeJS.ErrnoException): boolean {
  const code = error.code ?? "";
  return /CERT|SELF_SIGNED|UNABLE_TO_|ERR_TLS|ERR_SSL|EPROTO/.test(code) || /certificate|SSL/i.test(error.message);
}

function parseAck<E extends ClientEventName>(event: E, reply: unknown): Ack<EventReply<E>> | undefined {
  if (typeof reply !== "object" || reply === null || !("ok" in reply)) return undefined;
  if (reply.ok === false) {
    const error = (reply as { error?: { code?: unknown; message?: unknown } }).error;
    if (typeof error?.code !== "string" || typeof error.message !== "string") return undefined;
    return reply as Ack<EventReply<E>>;
  }
  const data = clientEvents[event].reply.safeParse((reply as { data?: unknown }).data);
  if (!data.success) return undefined;
  return { ok: true, data: data.data as EventReply<E> };
}
