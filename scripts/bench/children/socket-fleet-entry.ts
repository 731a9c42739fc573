// Many client sockets in one process, held open and idle, for the idle-socket benchmark: one
// process cannot hold 10,000 TLS sockets and their handshakes comfortably, so the orchestrator
// runs several of these. Run by scripts/bench only.
import https from "node:https";
import { io, type Socket } from "socket.io-client";
import { DEVICE_CALL_TIMEOUT_MS } from "../../../device-app/device-hub.ts";
import { connectTimeoutMs, reconnectDelayMs } from "../../../device-app/reconnect-backoff.ts";
import { announce, answerRequests } from "../harness/child-ipc.ts";

interface ConnectRequest {
  url: string;
  ca: string;
  /** One handshake `auth` object per socket. */
  auths: Record<string, string>[];
  /** Handshakes in flight at once. */
  concurrency: number;
  /**
   * Behave as the authenticator does (device-app/device-link.ts): after each connect, send
   * `firstEvent` (the authenticator asks `challenge:list`) and count the socket as connected at its
   * answer; after a lost connection, come back with its back-off and its 10 s connect timeout.
   */
  reconnect?: { firstEvent: string };
}

type Reconnect = ConnectRequest["reconnect"];

const sockets: Socket[] = [];
let disconnects = 0;
/** Reconnecting sockets: when each was last back, its first event answered (epoch ms); and refusals by the server since connecting. */
const lastConnectedAt = new Map<Socket, number>();
let refusals = 0;
let firstRefusal: string | null = null;
/** Every attempt that failed, refused or not, by its error message: where a slow return's time went. */
const failedAttempts = new Map<string, number>();

/**
 * The authenticator's way back (device-app/device-link.ts): after a lost connection or a failed
 * attempt, wait reconnectDelayMs(attempt) (doubling from 1 s, with jitter) and connect again,
 * giving up after connectTimeoutMs(attempts that timed out in a row); a success resets both. A
 * refusal by the server (a connect_error with data) is counted.
 */
function keepReconnecting(socket: Socket, firstEvent: string): void {
  let attempt = 0;
  let timedOut = 0;
  const retry = () =>
    setTimeout(() => {
      socket.io.timeout(connectTimeoutMs(timedOut));
      socket.connect();
    }, reconnectDelayMs(attempt++));
  socket.on("connect", () => {
    attempt = 0;
    timedOut = 0;
    answerFirst(socket, firstEvent).then(
      () => lastConnectedAt.set(socket, Date.now()),
      // No answer: the connection went (its disconnect retries) or the server is stuck.
      (error: unknown) => countFailure(`${firstEvent}: ${String(error)}`),
    );
  });
  socket.on("disconnect", retry);
  socket.on("connect_error", (error: Error & { data?: unknown }) => {
    countFailure(error.message);
    timedOut = error.message === "timeout" ? timedOut + 1 : 0;
    if (error.data !== undefined) {
      refusals += 1;
      firstRefusal ??= error.message;
    }
    retry();
  });
}

function countFailure(message: string): void {
  failedAttempts.set(message, (failedAttempts.get(message) ?? 0) + 1);
}

function answerFirst(socket: Socket, event: string): Promise<unknown> {
  return socket.timeout(DEVICE_CALL_TIMEOUT_MS).emitWithAck(event, {});
}

function connectOne(url: string, agent: https.Agent, auth: Record<string, string>, reconnect: Reconnect): Promise<Socket> {
  const socket = io(url, { agent: agent as never, auth, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.once("disconnect", () => (disconnects += 1));
      const connected = () => {
        if (reconnect) keepReconnecting(socket, reconnect.firstEvent);
        lastConnectedAt.set(socket, Date.now());
        resolve(socket);
      };
      if (!reconnect) return connected();
      answerFirst(socket, reconnect.firstEvent).then(connected, (error: unknown) => {
        socket.close();
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function connect({ url, ca, auths, concurrency, reconnect }: ConnectRequest) {
  const started = performance.now();
  let next = 0;
  let failed = 0;
  let firstError: string | null = null;
  // One agent for the fleet: it trusts the CA and resumes TLS sessions, so that only the first
  // handshake pays for the certificate (the server keeps no per-session state: tickets).
  const agent = new https.Agent({ ca, maxCachedSessions: 1 });
  async function lane(): Promise<void> {
    while (next < auths.length) {
      const auth = auths[next++]!;
      try {
        sockets.push(await connectOne(url, agent, auth, reconnect));
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { connected: sockets.filter((socket) => socket.connected).length, failed, firstError, seconds: (performance.now() - started) / 1000 };
}

/** Resolves once every socket has connected again after `sinceMs` (epoch ms), or at the timeout. */
async function awaitReturn({ sinceMs, timeoutMs }: { sinceMs: number; timeoutMs: number }) {
  const deadline = Date.now() + timeoutMs;
  const back = () => sockets.filter((socket) => socket.connected && (lastConnectedAt.get(socket) ?? 0) > sinceMs);
  while (back().length < sockets.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  const returned = back();
  const backAt = returned.map((socket) => lastConnectedAt.get(socket)!);
  return { returned: returned.length, of: sockets.length, backAt, refusals, firstRefusal, failedAttempts: Object.fromEntries(failedAttempts) };
}

answerRequests({
  connect: (request: ConnectRequest) => connect(request),
  awaitReturn: (request: { sinceMs: number; timeoutMs: number }) => awaitReturn(request),
  count: () => ({ connected: sockets.filter((socket) => socket.connected).length, disconnects }),
  close() {
    for (const socket of sockets.splice(0)) {
      socket.removeAllListeners();
      socket.close();
    }
    lastConnectedAt.clear();
    disconnects = 0;
    refusals = 0;
    firstRefusal = null;
    failedAttempts.clear();
    return { closed: true };
  },
});
announce("ready");
