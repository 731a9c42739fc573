// Many client sockets in one process, held open and idle, for the idle-socket benchmark: one
// process cannot hold 10,000 TLS sockets and their handshakes comfortably, so the orchestrator
// runs several of these. Run by scripts/bench only.
import https from "node:https";
import { io, type Socket } from "socket.io-client";
import { announce, answerRequests } from "../harness/child-ipc.ts";

interface ConnectRequest {
  url: string;
  ca: string;
  /** One handshake `auth` object per socket. */
  auths: Record<string, string>[];
  /** Handshakes in flight at once. */
  concurrency: number;
}

const sockets: Socket[] = [];
let disconnects = 0;

function connectOne(url: string, agent: https.Agent, auth: Record<string, string>): Promise<Socket> {
  const socket = io(url, { agent: agent as never, auth, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 60_000 });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      socket.once("disconnect", () => (disconnects += 1));
      resolve(socket);
    });
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function connect({ url, ca, auths, concurrency }: ConnectRequest) {
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
        sockets.push(await connectOne(url, agent, auth));
      } catch (error) {
        failed += 1;
        firstError ??= error instanceof Error ? error.message : String(error);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { connected: sockets.filter((socket) => socket.connected).length, failed, firstError, seconds: (performance.now() - started) / 1000 };
}

answerRequests({
  connect: (request: ConnectRequest) => connect(request),
  count: () => ({ connected: sockets.filter((socket) => socket.connected).length, disconnects }),
  close() {
    for (const socket of sockets.splice(0)) socket.close();
    disconnects = 0;
    return { closed: true };
  },
});
announce("ready");
