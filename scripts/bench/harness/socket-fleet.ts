import { BenchChild } from "./bench-child.ts";
import { cleanEnvironment } from "./hub-process.ts";

export interface FleetConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
  seconds: number;
}

export interface FleetReturn {
  returned: number;
  of: number;
  /** When each of them was back: connected again and its first event answered (epoch ms). */
  backAt: number[];
  /** Attempts that failed since the sockets connected, by error message. */
  failedAttempts: Record<string, number>;
  refusals: number;
  firstRefusal: string | null;
}

/** What the authenticator sends after every connect (device-app/device-link.ts); a fleet behaving as it sends the same. */
export const AUTHENTICATOR_FIRST_EVENT = "challenge:list";

/** A child process holding many client sockets open, for the idle-socket and reconnect benchmarks. */
export interface SocketFleet {
  /** `reconnect`: sockets come back after a lost connection with the authenticator's back-off. */
  connect(url: string, ca: string, auths: Record<string, string>[], concurrency: number, reconnect?: { firstEvent: string }): Promise<FleetConnectResult>;
  /** Waits until every socket has connected again since `sinceMs` (epoch ms), or the timeout. */
  awaitReturn(sinceMs: number, timeoutMs: number): Promise<FleetReturn>;
  /** Sockets still connected, and disconnects seen since they connected. */
  count(): Promise<{ connected: number; disconnects: number }>;
  close(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSocketFleets(count: number, logDir: string): Promise<SocketFleet[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, index) => {
      const child = BenchChild.start({ entry: "socket-fleet-entry.ts", name: `socket-fleet-${index + 1}`, logDir, env: cleanEnvironment() });
      await child.announcement("ready", 60_000);
      return {
        connect: (url, ca, auths, concurrency, reconnect) => child.request<FleetConnectResult>("connect", { url, ca, auths, concurrency, reconnect }, 300_000),
        awaitReturn: (sinceMs, timeoutMs) => child.request<FleetReturn>("awaitReturn", { sinceMs, timeoutMs }, timeoutMs + 30_000),
        count: () => child.request<{ connected: number; disconnects: number }>("count"),
        close: async () => void (await child.request("close")),
        stop: () => child.stop(),
      } satisfies SocketFleet;
    }),
  );
}
