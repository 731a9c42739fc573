import { io, type Socket } from "socket.io-client";
import type { Ack } from "#protocol";

const CALL_TIMEOUT_MS = 60_000;

/**
 * One real socket to `url` + `namespace` over TLS, websocket only, as PairGate's clients connect;
 * `localAddress` is another loopback address to connect from, to play many machines.
 */
export function openSocket(url: string, namespace: string, ca: string, auth: Record<string, string> = {}, localAddress?: string): Promise<Socket> {
  const socket = io(`${url}${namespace}`, { ca, auth, transports: ["websocket"], reconnection: false, forceNew: true, ...(localAddress ? { localAddress } : {}) } as never);
  socket.on("disconnect", (reason) => disconnectReasons.set(socket, reason));
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(new Error(`${namespace} on ${url} refused the connection: ${error.message}`));
    });
  });
}

/**
 * A loopback address of its own for the index-th anonymous socket (127.0.1.1 on, 250 to a
 * block): the hub lets one address hold only 20 sockets that have not logged in.
 */
export function spreadAddress(index: number): string {
  return `127.0.${1 + Math.floor(index / 250)}.${1 + (index % 250)}`;
}

export function openSockets(count: number, open: (index: number) => Promise<Socket>): Promise<Socket[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => open(index)));
}

export function closeSockets(sockets: Iterable<Socket>): void {
  for (const socket of sockets) socket.close();
}

const disconnectReasons = new WeakMap<Socket, string>();

/**
 * Anonymous `/client` sockets opened ahead of their use send one harmless event at once: the hub
 * closes an anonymous socket that has sent nothing within ANONYMOUS_FIRST_EVENT_SECONDS (10 s,
 * server/transport/socket/anonymous-sockets.ts), and a socket first used later than that in a
 * rotation was found closed ("io server disconnect"). `account:me` is answered at once, without
 * touching the database, with "not logged in".
 */
export async function claimAnonymousSockets(sockets: readonly Socket[]): Promise<void> {
  await Promise.all(sockets.map((socket) => callAck(socket, "account:me", {})));
}

/** Sends one acked event; the hub always answers with the protocol's ack shape. */
export async function callAck<T>(socket: Socket, event: string, payload: object): Promise<Ack<T>> {
  try {
    return (await socket.timeout(CALL_TIMEOUT_MS).emitWithAck(event, payload)) as Ack<T>;
  } catch (error) {
    // Socket.IO says only "operation has timed out": say which event, and whether the socket was still there.
    const state = socket.connected ? "still connected" : `disconnected: ${disconnectReasons.get(socket) ?? "before connecting"}`;
    throw new Error(`${event}: no answer in ${CALL_TIMEOUT_MS / 1000} s (socket ${state})`, { cause: error });
  }
}

/** The data of a successful ack; anything else is a broken benchmark, not a figure. */
export function expectOk<T>(ack: Ack<T>, what: string): T {
  if (!ack.ok) throw new Error(`${what} failed: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}
