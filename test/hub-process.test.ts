import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { call, connectClient } from "./support/client.ts";
import { launchProgram } from "./support/program-process.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-process-"));
const repo = path.resolve(import.meta.dirname, "..");
afterAll(() => rmSync(root, { recursive: true, force: true }));

function startHubProcess(env: Record<string, string>): { child: ChildProcess; output: () => string; ready: Promise<string> } {
  // The hub's entry file under tsx's loader, as `npm start` runs it, but in this very process, so
  // the signal reaches the hub itself (tsx's command line relays it with a short grace period).
  const loader = pathToFileURL(path.join(repo, "node_modules/tsx/dist/esm/index.mjs")).href;
  const child = spawn(process.execPath, ["--import", loader, path.join(repo, "server/main.ts")], {
    cwd: root,
    env: { ...process.env, PAIRGATE_PORT: "0", PAIRGATE_BCRYPT_COST: "4", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (text += chunk.toString()));
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", () => {
      const match = /ready at (https:\/\/\S+)/.exec(text);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`hub exited with ${code}: ${text}`)));
  });
  ready.catch(() => {}); // awaited by the tests that expect a start; others only watch the exit
  return { child, output: () => text, ready };
}

const exitCode = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

describe("the hub process", () => {
  it.each(["SIGTERM", "SIGINT"] as const)("starts with zero configuration and exits 0 on %s, closing its sockets", async (signal) => {
    const { child, ready } = startHubProcess({});
    const url = await ready;
    expect(existsSync(path.join(root, "data/pairgate.db"))).toBe(true);
    expect(statSync(path.join(root, "data")).mode & 0o777).toBe(0o700);
    expect(existsSync(path.join(root, "certs/ca.pem"))).toBe(true);

    const { readFileSync } = await import("node:fs");
    const hub = { url, ca: readFileSync(path.join(root, "certs/ca.pem"), "utf8") } as Parameters<typeof connectClient>[0];
    const socket = await connectClient(hub);
    expect(await call(socket, "auth:login", { username: "nobody", password: "whatever-password" })).toMatchObject({ ok: false });
    const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
    const exited = exitCode(child);
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(await disconnected).toMatch(/transport close|io server disconnect/);
    socket.close();
  });

  it("refuses to start on a bad setting, naming the variable", async () => {
    const { child, output } = startHubProcess({ PAIRGATE_PORT: "not-a-port" });
    expect(await exitCode(child)).toBe(78);
    expect(output()).toContain("PAIRGATE_PORT: Must be a port number, 0 to 65535");
  });

  it("says so in words when its port is taken", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const { port } = taken.address() as net.AddressInfo;
    try {
      const { child, output } = startHubProcess({ PAIRGATE_PORT: String(port) });
      expect(await exitCode(child)).toBe(1);
      expect(output()).toContain(`another program already listens on 127.0.0.1:${port}; stop it, or choose another port with PAIRGATE_PORT.`);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it("writes its log as JSON lines when its output is not a terminal", async () => {
    const { child, ready, output } = startHubProcess({});
    await ready;
    const exited = exitCode(child);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    const listening = output().split("\n").find((line) => line.includes("hub listening"));
    expect(JSON.parse(listening!)).toMatchObject({ level: 30, msg: "hub listening", url: expect.stringMatching(/^https:/) });
  });

  it("pretty-prints its log, one line per entry, on a terminal", async () => {
    const loader = pathToFileURL(path.join(repo, "node_modules/tsx/dist/esm/index.mjs")).href;
    const hub = launchProgram("--import", [loader, path.join(repo, "server/main.ts")], {
      env: { PAIRGATE_PORT: "0", PAIRGATE_BCRYPT_COST: "4" },
      cwd: root,
      terminal: true,
    });
    await hub.waitForOutput(/hub listening/, 60_000);
    // Ctrl+C on the terminal, as a person stops `npm start`.
    hub.write("\x03");
    await hub.waitForOutput(/hub stopped/, 30_000);
    const run = await hub.done;
    const lines = run.stdout.replace(/\x1b\[[0-9;]*m/g, "").split(/\r?\n/);
    expect(lines.find((line) => line.includes("hub listening"))).toMatch(/^\[\d{2}:\d{2}:\d{2}\] INFO: hub listening \{"url":"https:/);
    expect(run.stdout).not.toContain('{"level":');
  });

  it("says in words, not an error code, when its data folder cannot be made", async () => {
    const file = path.join(root, "a-file");
    (await import("node:fs")).writeFileSync(file, "");
    const { child, output } = startHubProcess({ PAIRGATE_DATA_DIR: path.join(file, "data") });
    expect(await exitCode(child)).toBe(1);
    expect(output()).toContain(`cannot use ${path.join(file, "data")}: a part of that path is a file, not a folder. Check PAIRGATE_DATA_DIR and PAIRGATE_CERT_DIR.`);
    expect(output()).not.toContain("ENOTDIR");
  });
});

