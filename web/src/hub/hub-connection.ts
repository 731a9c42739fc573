import { io, type Socket } from "socket.io-client";
import type { Ack, ClientEventName, ClientPushName, ClientToHubEvents, EventInput, EventReply, HubToClientEvents, PushPayload } from "#protocol";

// The hub's browser logout: ends the cookie's session if it still exists, and always clears the
// cookie (server/transport/web/browser-sessions.ts); the page cannot touch an HttpOnly cookie itself.
const WEB_LOGOUT_PATH = "/api/web/logout";

/** Clears the session cookie; a failure only means the next handshake is refused again. */
export async function dropSessionCookie(): Promise<void> {
  await fetch(WEB_LOGOUT_PATH, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", credentials: "same-origin" }).catch(() => undefined);
}

/**
 * `idle`: the hub closed a connection that had not logged in and sent nothing for a while (it
 * does so after 10 s, server/transport/socket/anonymous-sockets.ts); the next call opens a new one.
 */
export type ConnectionState = "connecting" | "connected" | "idle" | "reconnecting" | "offline";

// The hub answers every acked event well within this; past it the person is told to try again
// rather than left waiting on a dead connection.
const ACK_TIMEOUT_MS = 15_000;

type ClientSocket = Socket<HubToClientEvents, ClientToHubEvents>;

const CLOSED_BEFORE_ANSWER = Symbol("closed before the answer");
const CONNECTION_LOST = { ok: false, error: { code: "unavailable", message: "The connection to the hub was lost before it answered. Check the connection and try again." } } as const;
const NO_ANSWER_IN_TIME = { ok: false, error: { code: "unavailable", message: "The hub did not answer in time. Check the connection and try again." } } as const;

/**
 * The page's one Socket.IO connection to the hub's `/client` namespace, on the page's own origin
 * (the hub serves the app). Calls are the protocol's events with their acks; nothing else.
 */
export class HubConnection {
  readonly socket: ClientSocket;
  #state: ConnectionState = "connecting";
  // Whether the hub answered anything on the current connection: one it closes before any answer
  // was closed for idleness, so an event sent just then never reached a handler and is sent again.
  #answeredSinceConnect = false;
  #closedUnanswered = false;
  readonly #stateListeners = new Set<(state: ConnectionState) => void>();

  constructor(url = "/client") {
    // withCredentials: the hub's session cookie (HttpOnly) rides on the handshake once logged in.
    this.socket = io(url, { transports: ["websocket"], withCredentials: true });
    this.socket.on("connect", () => {
      this.#answeredSinceConnect = false;
      this.#closedUnanswered = false;
      this.#setState("connected");
    });
    this.socket.on("connect_error", (error) => {
      this.#setState(navigator.onLine ? "reconnecting" : "offline");
      // The hub refused the session cookie (ended elsewhere, or past its limits): Socket.IO does
      // not retry a refusal, so the page drops the cookie and goes on anonymously.
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === "invalid_token" || code === "session_expired") void this.#dropSessionThenConnect();
    });
    this.socket.on("disconnect", (reason) => {
      // The hub closed this socket: an anonymous one that sent nothing for a while, or one whose
      // session ended. Socket.IO does not reconnect after that, and reconnecting here would race
      // its own clean-up; the next call connects again (see call), so nothing is lost. Until
      // then the header says "Idle": true, and nothing for the person to worry about.
      if (reason === "io server disconnect") {
        this.#closedUnanswered = !this.#answeredSinceConnect;
        this.#setState("idle");
        return;
      }
      this.#setState(navigator.onLine ? "reconnecting" : "offline");
    });
    this.socket.on("session:revoked", () => void dropSessionCookie());
    this.socket.io.on("reconnect_attempt", () => this.#setState(navigator.onLine ? "reconnecting" : "offline"));
    window.addEventListener("offline", () => this.#setState("offline"));
    window.addEventListener("online", () => {
      if (!this.socket.connected) this.#setState("reconnecting");
    });
  }

  get state(): ConnectionState {
    return this.#state;
  }

  onState(listener: (state: ConnectionState) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  /**
   * Sends one event and resolves with the hub's ack; a lost connection becomes an ack too. An
   * event caught by the hub closing an idle connection is sent once more on a new one.
   */
  async call<E extends ClientEventName>(event: E, payload: EventInput<E>): Promise<Ack<EventReply<E>>> {
    const first = await this.#emit(event, payload);
    if (first !== CLOSED_BEFORE_ANSWER || !this.#closedUnanswered) return first === CLOSED_BEFORE_ANSWER ? CONNECTION_LOST : first;
    const second = await this.#emit(event, payload);
    return second === CLOSED_BEFORE_ANSWER ? CONNECTION_LOST : second;
  }

  #emit<E extends ClientEventName>(event: E, payload: EventInput<E>): Promise<Ack<EventReply<E>> | typeof CLOSED_BEFORE_ANSWER> {
    if (!this.socket.active) this.socket.connect();
    return new Promise((resolve) => {
      const timed = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as { emit(name: string, body: unknown, ack: (error: Error | null, reply: Ack<EventReply<E>>) => void): void };
      timed.emit(event, payload, (error, reply) => {
        if (!error) {
          this.#answeredSinceConnect = true;
          resolve(reply);
        } else if (!this.socket.connected) resolve(CLOSED_BEFORE_ANSWER);
        else resolve(NO_ANSWER_IN_TIME);
      });
    });
  }

  /**
   * Opens the connection again, so that its handshake carries the session cookie the hub has just
   * set (or no longer carries one); resolves once connected.
   */
  reconnect(): Promise<void> {
    return new Promise((resolve) => {
      this.socket.once("connect", () => resolve());
      this.socket.disconnect();
      this.socket.connect();
    });
  }

  onPush<P extends ClientPushName>(push: P, listener: (payload: PushPayload<P>) => void): () => void {
    const on = this.socket.on.bind(this.socket) as unknown as (name: string, handler: (payload: PushPayload<P>) => void) => void;
    const off = this.socket.off.bind(this.socket) as unknown as (name: string, handler: (payload: PushPayload<P>) => void) => void;
    on(push, listener);
    return () => off(push, listener);
  }

  async #dropSessionThenConnect(): Promise<void> {
    await dropSessionCookie();
    if (!this.socket.connected) this.socket.connect();
  }

  #setState(state: ConnectionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#stateListeners) listener(state);
  }
}
