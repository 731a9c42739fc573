import { BenchChild } from "./bench-child.ts";
import { cleanEnvironment } from "./hub-process.ts";
import type { Workspace } from "./workspace.ts";

/** Socket.IO alone (scripts/bench/children/bare-server-entry.ts): the baseline for memory and round trips. */
export interface BareServer {
  url: string;
  /** After full garbage collections. */
  memory(): Promise<NodeJS.MemoryUsage>;
  /** Sockets connected to its one namespace, `/`. */
  connections(): Promise<number>;
  stop(): Promise<void>;
}

/** `port`: a fixed one, so that a restarted server is found where its clients left it; unset: any free port. */
export async function startBareServer(workspace: Workspace, options: { name?: string; port?: number } = {}): Promise<BareServer> {
  const child = BenchChild.start({
    entry: "bare-server-entry.ts",
    name: options.name ?? "bare-socket-io",
    logDir: workspace.logDir,
    env: cleanEnvironment(),
    args: [workspace.certFile, workspace.keyFile, String(options.port ?? 0)],
    nodeFlags: ["--expose-gc"],
  });
  const { url } = await child.announcement<{ url: string }>("ready", 60_000);
  return {
    url,
    memory: () => child.request<NodeJS.MemoryUsage>("memory"),
    connections: async () => (await child.request<{ root: number }>("sockets")).root,
    stop: () => child.stop(),
  };
}
