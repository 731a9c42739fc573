import { fork, type ChildProcess } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IpcAnnouncement, IpcReply } from "./child-ipc.ts";

const REPO_ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const CHILDREN_DIR = fileURLToPath(new URL("../children/", import.meta.url));
const STOP_GRACE_MS = 5_000;
const LOG_TAIL_CHARS = 2_000;

export interface BenchChildOptions {
  /** Which program of scripts/bench/children/ to run, e.g. `hub-entry.ts`. */
  entry: string;
  /** Shown in errors and used for the log file name. */
  name: string;
  logDir: string;
  env: NodeJS.ProcessEnv;
  args?: string[];
  /** Extra Node flags, e.g. `--expose-gc`. */
  nodeFlags?: string[];
}

/** Every child started and not yet stopped, so that an interrupted run can stop them all. */
const liveChildren = new Set<BenchChild>();
/** Set when the run is stopping: a suite still going must not start what nobody will stop. */
let refusing = false;

/**
 * A program the benchmark runs in its own process (a hub, a bare Socket.IO server, a hash
 * baseline, a fleet of client sockets), driven by request/reply messages over IPC.
 */
export class BenchChild {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly announced = new Map<string, unknown>();
  private readonly waiters = new Map<string, ((body: unknown) => void)[]>();
  private exitError: Error | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    private readonly logFile: string,
  ) {
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
    child.on("message", (message: IpcReply | IpcAnnouncement) => this.receive(message));
    child.once("exit", (code, signal) => {
      liveChildren.delete(this);
      this.exitError = new Error(`${name} exited (${signal ?? code}); log ${logFile}:\n${this.logTail()}`);
      for (const { reject } of this.pending.values()) reject(this.exitError);
      this.pending.clear();
    });
  }

  static start(options: BenchChildOptions): BenchChild {
    if (refusing) throw new Error(`the run is stopping: ${options.name} not started`);
    const logFile = path.join(options.logDir, `${options.name}.log`);
    const logFd = openSync(logFile, "a");
    const child = fork(path.join(CHILDREN_DIR, options.entry), options.args ?? [], {
      cwd: REPO_ROOT,
      env: options.env,
      execArgv: [...(options.nodeFlags ?? []), "--import", "tsx"],
      stdio: ["ignore", logFd, logFd, "ipc"],
      // A session of its own: where the scheduler groups threads by session (Linux's autogroup),
      // hub, baseline and clients then share the CPUs as separate services would, instead of
      // competing inside the orchestrator's group. It still stops when the orchestrator goes.
      detached: true,
    });
    closeSync(logFd);
    const handle = new BenchChild(options.name, child, logFile);
    liveChildren.add(handle);
    return handle;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  request<T>(type: string, body: unknown = null, timeoutMs = 120_000): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: no answer to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (value) => (clearTimeout(timer), resolve(value as T)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      });
      this.child.send({ id, type, body });
    });
  }

  /** Resolves with the body of the child's announcement `name`, made before or after the call. */
  announcement<T>(name: string, timeoutMs = 120_000): Promise<T> {
    if (this.announced.has(name)) return Promise.resolve(this.announced.get(name) as T);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no "${name}" within ${timeoutMs} ms; log:\n${this.logTail()}`)), timeoutMs);
      void this.exited.then(() => reject(this.exitError));
      const list = this.waiters.get(name) ?? [];
      list.push((body) => (clearTimeout(timer), resolve(body as T)));
      this.waiters.set(name, list);
    });
  }

  /** Asks politely (SIGTERM), then insists (SIGKILL) after a grace period. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(timer);
  }

  logTail(): string {
    try {
      return readFileSync(this.logFile, "utf8").slice(-LOG_TAIL_CHARS);
    } catch {
      return "(no log)";
    }
  }

  private receive(message: IpcReply | IpcAnnouncement): void {
    if ("announce" in message) {
      this.announced.set(message.announce, message.body);
      for (const waiter of this.waiters.get(message.announce) ?? []) waiter(message.body);
      this.waiters.delete(message.announce);
      return;
    }
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    if (message.ok) entry.resolve(message.result);
    else entry.reject(new Error(`${this.name}: ${message.error}`));
  }
}

export function refuseNewChildren(): void {
  refusing = true;
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...liveChildren].map((child) => child.stop()));
}
