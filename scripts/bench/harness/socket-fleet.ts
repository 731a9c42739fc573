import { BenchChild } from "./bench-child.ts";
import { cleanEnvironment } from "./hub-process.ts";

export interface FleetConnectResult {
  connected: number;
  failed: number;
  firstError: string | null;
  seconds: number;
}

/** A child process holding many client sockets open, for the idle-socket benchmark. */
export interface SocketFleet {
  connect(url: string, ca: string, auths: Record<string, string>[], concurrency: number): Promise<FleetConnectResult>;
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
        connect: (url, ca, auths, concurrency) => child.request<FleetConnectResult>("connect", { url, ca, auths, concurrency }, 300_000),
        count: () => child.request<{ connected: number; disconnects: number }>("count"),
        close: async () => void (await child.request("close")),
        stop: () => child.stop(),
      } satisfies SocketFleet;
    }),
  );
}
