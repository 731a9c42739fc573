// `npm run bench:cold-start`: how long the compiled programs take to start, each as a ratio to
// plain Node doing the least such a program must do, measured in turns in the same run. The
// table is printed and written into docs/PERFORMANCE.md ("Cold start"). See
// scripts/bench/performance-guide.md.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, InvalidArgumentError } from "commander";
import { median } from "../harness/stats.ts";
import { printTable, type Figure } from "../report.ts";
import { writeColdStartSection } from "./cold-start-doc.ts";
import { freePort, timeToExit, timeToHealthy, type Command as TimedCommand } from "./timing.ts";

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const DOC_FILE = path.join(ROOT, "docs/PERFORMANCE.md");
/** The modules a terminal program of PairGate cannot start without: its argument parser and its hub connection. */
const BASELINE_MODULES = ["commander", "socket.io-client"];
const GOALS = { client: 1.5, device: 2, hub: 3 } as const;

function parseOptions(argv: string[]) {
  const runs = (text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1 || value > 200) throw new InvalidArgumentError("Give a whole number from 1 to 200.");
    return value;
  };
  return new Command("bench:cold-start")
    .description("Time the compiled programs' cold starts against plain Node in the same run; every figure is a ratio.")
    .option("--runs <n>", "counted runs of each command, in turns", runs, 15)
    .option("--no-build", "measure dist/ as it is (default: `npx tsup` first, so dist/ matches the sources)")
    .option("--no-write", "print the table without rewriting docs/PERFORMANCE.md")
    .parse(argv)
    .opts<{ runs: number; build: boolean; write: boolean }>();
}

const node = (...args: string[]) => [process.execPath, ...args];
const compiledOnly = { ...process.env, PAIRGATE_RUN_FROM: "dist", NO_COLOR: "1" };

/** Runs each command once uncounted, then `runs` times in turns, and returns each one's times. */
async function inTurns<T extends string>(runs: number, measure: Record<T, () => Promise<number>>): Promise<Record<T, number[]>> {
  const names = Object.keys(measure) as T[];
  const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<T, number[]>;
  for (let round = -1; round < runs; round += 1) {
    for (const name of names) {
      const elapsed = await measure[name]();
      if (round >= 0) times[name].push(elapsed);
    }
    process.stderr.write(round < 0 ? "warm-up done\n" : `round ${round + 1}/${runs}\n`);
  }
  return times;
}

function ratioFigure(benchmark: string, ratioOf: string, times: number[], baseline: number[], goal?: number, note = ""): Figure {
  const ratio = median(times) / median(baseline);
  const pairRatios = times.map((time, index) => time / baseline[index]!).sort((a, b) => a - b);
  const context = `median ${median(times).toFixed(0)} ms vs ${median(baseline).toFixed(0)} ms over ${times.length} runs in turns; run-by-run ratios ${pairRatios[0]!.toFixed(2)} to ${pairRatios.at(-1)!.toFixed(2)}${note}`;
  return { benchmark, ratioOf, ratio, ...(goal === undefined ? {} : { goal: { atMost: goal } }), context };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv);
  if (options.build) execFileSync("npx", ["tsup", "--silent"], { cwd: ROOT, stdio: "inherit" });
  const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-cold-start-"));
  try {
    const env = { ...compiledOnly, PAIRGATE_HOME: path.join(work, "home") };
    const baseline: TimedCommand = { label: "node importing commander and socket.io-client", argv: node("--input-type=module", "-e", BASELINE_MODULES.map((name) => `await import(${JSON.stringify(name)});`).join(" ")) };
    const client: TimedCommand = { label: "pairgate --help", argv: node("bin/pairgate.mjs", "--help"), env };
    const device: TimedCommand = { label: "pairgate-device --help", argv: node("bin/pairgate-device.mjs", "--help"), env };
    const fromSources: TimedCommand = { label: "pairgate --help from the sources", argv: node("bin/pairgate.mjs", "--help"), env: { ...env, PAIRGATE_RUN_FROM: "source" } };

    const port = await freePort();
    const hubEnv = { ...compiledOnly, PAIRGATE_DATA_DIR: path.join(work, "data"), PAIRGATE_CERT_DIR: path.join(work, "certs"), PAIRGATE_PORT: String(port), PAIRGATE_LOG_LEVEL: "warn" };
    const hub: TimedCommand = { label: "the hub", argv: node("bin/pairgate-hub.mjs"), env: hubEnv };
    // The first start makes the database, the certificates and the key; every counted one finds them.
    const caFile = path.join(work, "certs", "ca.pem");
    const firstCa = () => (existsSync(caFile) ? readFileSync(caFile, "utf8") : undefined);
    await timeToHealthy(hub, ROOT, port, firstCa);
    const caText = readFileSync(caFile, "utf8");
    const ca = () => caText;
    const bare: TimedCommand = {
      label: "bare express + Socket.IO",
      argv: node("scripts/bench/children/bare-https-server.mjs", path.join(work, "certs", "server.pem"), path.join(work, "certs", "server-key.pem"), String(port)),
    };

    const times = await inTurns(options.runs, {
      baseline: () => timeToExit(baseline, ROOT),
      client: () => timeToExit(client, ROOT),
      device: () => timeToExit(device, ROOT),
      hub: () => timeToHealthy(hub, ROOT, port, ca),
      bare: () => timeToHealthy(bare, ROOT, port, ca),
    });
    const sourceRuns = Math.min(3, options.runs);
    const sourceTimes = await inTurns(sourceRuns, { fromSources: () => timeToExit(fromSources, ROOT), baseline: () => timeToExit(baseline, ROOT) });

    const figures: Figure[] = [
      ratioFigure("`pairgate --help`, compiled", "wall time ÷ `node` importing commander and socket.io-client", times.client, times.baseline, GOALS.client),
      ratioFigure("`pairgate-device --help`, compiled", "wall time ÷ `node` importing commander and socket.io-client", times.device, times.baseline, GOALS.device),
      ratioFigure("Hub start to healthy, SQLite database already there, compiled", "spawn → first 200 from /api/health ÷ same for bare express + Socket.IO on HTTPS", times.hub, times.bare, GOALS.hub, `; health asked every 5 ms`),
      ratioFigure("`pairgate --help` from the TypeScript sources (tsx), for comparison", "wall time ÷ `node` importing commander and socket.io-client", sourceTimes.fromSources, sourceTimes.baseline),
    ];
    printTable(figures);
    const machine = `${os.availableParallelism()} × ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}, ${os.platform()} ${os.release()}`;
    const load = os.loadavg().map((value) => value.toFixed(1)).join(" / ");
    if (options.write) writeColdStartSection(DOC_FILE, figures, { startedAt: new Date(), command: "npm run bench:cold-start", machine, load, runs: options.runs });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
