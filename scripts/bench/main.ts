// `npm run bench`: PairGate against the physical limits of this machine. Every figure is a ratio
// against a baseline measured in the same run (raw bcryptjs, bare Socket.IO); the table is
// printed and written to docs/PERFORMANCE.md. See scripts/bench/performance-guide.md.
import { readFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import bcrypt from "bcryptjs";
import { Command, InvalidArgumentError, Option } from "commander";
import { FAST_COST, type BenchRun, type BenchSettings } from "./bench-run.ts";
import { unavailableFigures } from "./figures.ts";
import { startBareServer } from "./harness/bare-server.ts";
import { startBcryptBaseline } from "./harness/bcrypt-baseline.ts";
import { Cleanup, stopOnSignalsAndDeadline } from "./harness/cleanup.ts";
import { BENCH_PASSWORD } from "./harness/fixtures.ts";
import { assertLoopback, DEFAULT_POSTGRES_ADMIN_URL, DEFAULT_REDIS_URL } from "./harness/scale-out-support.ts";
import { createWorkspace } from "./harness/workspace.ts";
import { runPostgresSuite } from "./postgres-suite.ts";
import { runRedisSuite } from "./redis-suite.ts";
import { printTable, writePerformanceDoc, type Figure } from "./report.ts";
import { runSoakSuite } from "./soak-suite.ts";
import { runSqliteSuite } from "./sqlite-suite.ts";

const DOC_FILE = fileURLToPath(new URL("../../docs/PERFORMANCE.md", import.meta.url));
const GUIDE_FILE = fileURLToPath(new URL("./performance-guide.md", import.meta.url));
const PARTS = ["reconnect", "idle", "login", "latency", "challenge", "flood", "postgres", "redis"];
/** Descriptors a server needs besides its sockets: listening socket, database, logs, workers. */
const FILE_DESCRIPTOR_HEADROOM = 256;
/** A run that takes longer than this is stuck: everything is stopped and cleaned up. */
const DEADLINE_MINUTES = 45;
/** The hub's own default (server/passwords/password-pool.ts): one thread per core, at most four. */
const HUB_DEFAULT_THREADS = Math.max(1, Math.min(4, os.availableParallelism()));

function integer(min: number, max: number) {
  return (text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    return value;
  };
}

function parseSettings(argv: string[]): { settings: BenchSettings; write: boolean; keepTemp: boolean; soakMinutes?: number } {
  const program = new Command("bench")
    .description("Measure PairGate against raw bcryptjs and bare Socket.IO on this machine; every figure is a ratio.")
    .addOption(new Option("--cost <n>", "bcrypt cost of the hub and of the measured logins").default(12).argParser(integer(4, 15)))
    .addOption(new Option("--threads <n>", "hash threads per hub (and of the raw baseline)").default(HUB_DEFAULT_THREADS).argParser(integer(1, 64)))
    .addOption(new Option("--sockets <n>", "idle device sockets on one hub").default(20_000).argParser(integer(100, 50_000)))
    .addOption(new Option("--storm-devices <n>", "paired devices of the reconnect storm").default(10_000).argParser(integer(100, 50_000)))
    .addOption(new Option("--rounds <n>", "alternating rounds for throughput and latency").default(6).argParser(integer(1, 50)))
    .addOption(new Option("--window <seconds>", "length of each measuring window").default(4).argParser(integer(1, 120)))
    .addOption(new Option("--samples <n>", "challenge round trips per database").default(300).argParser(integer(10, 100_000)))
    .addOption(new Option("--only <parts>", `comma-separated subset of ${PARTS.join(",")}`))
    .option("--soak", "instead of the figures above: the long run (200 clients logging in, 2,000 devices connected, bcrypt cost 4); prints, writes nothing")
    .addOption(new Option("--soak-minutes <n>", "length of the soak").default(10).argParser(integer(2, 240)))
    .option("--no-write", "print the table without rewriting docs/PERFORMANCE.md")
    .option("--keep-temp", "keep the temporary folder (child logs, hub data) to debug a failure")
    .addHelpText("after", `\nEnvironment: PAIRGATE_BENCH_POSTGRES_URL (default ${DEFAULT_POSTGRES_ADMIN_URL}), PAIRGATE_BENCH_REDIS_URL (default ${DEFAULT_REDIS_URL}); both must be on 127.0.0.1.`)
    .parse(argv);
  const options = program.opts<{ cost: number; threads: number; sockets: number; stormDevices: number; rounds: number; window: number; samples: number; only?: string; write: boolean; keepTemp?: boolean; soak?: boolean; soakMinutes: number }>();
  const only = options.only?.split(",").map((part) => part.trim());
  const unknown = only?.filter((part) => !PARTS.includes(part)) ?? [];
  if (unknown.length > 0) program.error(`--only: unknown part(s) ${unknown.join(", ")}; choose from ${PARTS.join(", ")}`);
  const postgresAdminUrl = process.env.PAIRGATE_BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_ADMIN_URL;
  const redisUrl = process.env.PAIRGATE_BENCH_REDIS_URL ?? DEFAULT_REDIS_URL;
  assertLoopback(postgresAdminUrl, "PAIRGATE_BENCH_POSTGRES_URL");
  assertLoopback(redisUrl, "PAIRGATE_BENCH_REDIS_URL");
  return {
    soakMinutes: options.soak ? options.soakMinutes : undefined,
    write: options.write && !options.soak,
    keepTemp: options.keepTemp === true,
    settings: {
      cost: options.cost,
      threads: options.threads,
      sockets: options.sockets,
      stormDevices: options.stormDevices,
      rounds: options.rounds,
      windowMs: options.window * 1000,
      samples: options.samples,
      postgresAdminUrl,
      redisUrl,
      only: only ? new Set(only) : undefined,
    },
  };
}

/**
 * The hub and the bare server each hold every idle socket as a file descriptor: refuse early,
 * with the fix, rather than fail after minutes with EMFILE. Linux only; elsewhere the run tries.
 */
function assertEnoughFileDescriptors(sockets: number): void {
  let limits: string;
  try {
    limits = readFileSync("/proc/self/limits", "utf8");
  } catch {
    return;
  }
  const soft = Number(/^Max open files\s+(\d+)/m.exec(limits)?.[1]);
  const needed = sockets + FILE_DESCRIPTOR_HEADROOM;
  if (Number.isFinite(soft) && soft < needed) {
    throw new Error(`${sockets} sockets (--sockets, --storm-devices) need at least ${needed} open files per process, and this shell allows ${soft}: run \`ulimit -n ${needed}\` first, or ask for fewer sockets`);
  }
}

function progress(message: string): void {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function machineText(): string {
  const cpu = os.cpus()[0]?.model.trim() ?? "unknown CPU";
  return `${os.availableParallelism()} × ${cpu}, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

const loadText = () => os.loadavg().map((load) => load.toFixed(1)).join(" / ");

async function main(): Promise<number> {
  const { settings, write, keepTemp, soakMinutes } = parseSettings(process.argv);
  const has = (part: string) => settings.only === undefined || settings.only.has(part);
  if (soakMinutes === undefined) assertEnoughFileDescriptors(Math.max(has("idle") ? settings.sockets : 0, has("reconnect") ? settings.stormDevices : 0));
  const startedAt = new Date();
  const loadAtStart = loadText();
  const cleanup = new Cleanup();
  const release = stopOnSignalsAndDeadline(cleanup, (DEADLINE_MINUTES + (soakMinutes ?? 0)) * 60_000);
  const figures: Figure[] = [];
  try {
    progress("preparing certificates, password hashes and baseline processes");
    const workspace = createWorkspace();
    if (keepTemp) progress(`keeping ${workspace.root} (--keep-temp)`);
    else cleanup.add(`remove ${workspace.root}`, () => workspace.remove());
    const hashes = { configured: bcrypt.hashSync(BENCH_PASSWORD, settings.cost), fast: bcrypt.hashSync(BENCH_PASSWORD, FAST_COST) };
    const [baseline, bare] = await Promise.all([startBcryptBaseline(workspace.logDir), startBareServer(workspace)]);
    const run: BenchRun = {
      settings,
      workspace,
      cleanup,
      hashes,
      baseline,
      bare,
      includes: has,
      progress,
    };
    const suites = soakMinutes !== undefined ? ([["Soak", (soakRun: BenchRun) => runSoakSuite(soakRun, soakMinutes)]] as const) : ([["SQLite", runSqliteSuite], ["PostgreSQL", runPostgresSuite], ["Redis", runRedisSuite]] as const);
    for (const [name, suite] of suites) {
      try {
        figures.push(...(await suite(run)));
      } catch (error) {
        // A suite that could not even start (its hub, its seeding): one row says so, the others still run.
        const message = error instanceof Error ? error.message : String(error);
        progress(`${name} suite failed: ${message}`);
        figures.push(...unavailableFigures([`${name} suite`], `failed: ${message.split("\n")[0]}`));
      }
    }
  } finally {
    await cleanup.run();
    release();
  }

  const seconds = (Date.now() - startedAt.getTime()) / 1000;
  printTable(figures);
  const notes = [
    `Load average (1 / 5 / 15 min) at the start ${loadAtStart}, at the end ${loadText()}: other work on the machine weighs on every figure; ratios are taken between windows that alternate, so it weighs on both sides of each.`,
  ];
  if (write) {
    const command = ["npm run bench", ...(process.argv.length > 2 ? ["--", ...process.argv.slice(2)] : [])].join(" ");
    writePerformanceDoc(DOC_FILE, readFileSync(GUIDE_FILE, "utf8"), figures, { startedAt, seconds, command, machine: machineText(), notes });
    progress(`wrote ${DOC_FILE}`);
  }
  progress(`done in ${Math.round(seconds)} s`);
  return figures.some((figure) => figure.unavailable?.startsWith("failed")) ? 1 : 0;
}

try {
  process.exit(await main());
} catch (error) {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
