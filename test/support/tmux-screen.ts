import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";

const run = promisify(execFile);
const POLL_MS = 100;

export interface TmuxScreen {
  /** The visible screen as text, as a person sees it (tmux capture-pane). */
  capture(): Promise<string>;
  /** Waits until the screen matches `pattern` and returns that screen. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Keys by tmux name ("Down", "Enter", "Escape") or, with `literal`, text typed as is. */
  press(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Runs `command` in a detached tmux session on a server of its own (`-L`), sized like a terminal
 * window, so a test reads the screen exactly as a person would see it. `close` ends that server only.
 */
export async function openTmuxScreen(command: string[], env: Record<string, string>, size = { columns: 110, rows: 36 }): Promise<TmuxScreen> {
  const server = `pairgate-test-${randomBytes(4).toString("hex")}`;
  const tmux = (...args: string[]) => run("tmux", ["-L", server, ...args], { env: { ...process.env, ...env } });
  const environment = Object.entries({ ...env, TERM: "xterm-256color", CI: "false", CONTINUOUS_INTEGRATION: "false" }).flatMap(([name, value]) => ["-e", `${name}=${value}`]);
  await tmux("new-session", "-d", "-s", "app", "-x", String(size.columns), "-y", String(size.rows), ...environment, ...command);
  // Keeps the last screen readable if the program exits, so a failure shows what it printed.
  await tmux("set-option", "-t", "app", "remain-on-exit", "on");
  const capture = async () => (await tmux("capture-pane", "-p", "-t", "app")).stdout;
  return {
    capture,
    async waitFor(pattern, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      let screen = "";
      while (Date.now() < deadline) {
        screen = await capture();
        if (pattern.test(screen)) return screen;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      throw new Error(`The screen did not show ${pattern} within ${timeoutMs} ms; it showed:\n${screen}`);
    },
    async press(...keys) {
      await tmux("send-keys", "-t", "app", ...keys);
    },
    async type(text) {
      await tmux("send-keys", "-t", "app", "-l", text);
    },
    async close() {
      await tmux("kill-server").catch(() => undefined);
    },
  };
}
