import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";

/**
 * A redis-server of the test's own, on a free port: it can be stopped, paused and restarted
 * without touching the machine's Redis that other tests share. Nothing is saved to disk unless
 * `appendOnlyDir` is given: then every write is in its append-only file before Redis answers, so
 * a killed server restarts with its keys, as a production Redis configured for it does.
 */
export interface ThrowawayRedis {
  url: string;
  port: number;
  /** Kills the server (SIGKILL: an outage, not a shutdown). */
  kill(): Promise<void>;
  /** Starts it again on the same port: empty, or with what its append-only file holds. */
  restart(): Promise<void>;
  /** `CLIENT PAUSE`: connections stay open, but no command is answered for `ms`. */
  pause(ms: number): void;
}

export async function startThrowawayRedis(options: { appendOnlyDir?: string } = {}): Promise<ThrowawayRedis> {
  const port = await freePort();
  const persistence = options.appendOnlyDir ? ["--dir", options.appendOnlyDir, "--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"];
  let child = await launch(port, persistence);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    },
    async restart() {
      child = await launch(port, persistence);
    },
    pause(ms) {
      const paused = spawnSync("redis-cli", ["-p", String(port), "CLIENT", "PAUSE", String(ms)], { encoding: "utf8" });
      if (paused.stdout.trim() !== "OK") throw new Error(`redis-cli CLIENT PAUSE failed: ${paused.stdout}${paused.stderr}`);
    },
  };
}

function launch(port: number, persistence: string[]): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    child.once("error", (error) => reject(new Error(`redis-server could not be started (is it installed? apt-get install redis-server): ${error.message}`)));
    child.once("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve(child);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
