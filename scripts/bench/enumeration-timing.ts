// `npx tsx scripts/bench/enumeration-timing.ts [--samples N] [--cost N]`: how long the hub takes
// to refuse a wrong emailed code for a username that exists and for one that does not
// (`password:reset`, `account:verify-email`), and to answer a registration with a new address and
// with an address already registered. A measurement to read, not a test: the two medians of each
// pair should be close (docs/SECURITY.md, "Enumeration"). Known and unknown calls alternate, so
// that the machine's load falls on both alike.
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { Command, InvalidArgumentError, Option } from "commander";
import { io, type Socket } from "socket.io-client";
import { readSettings } from "../../server/config.ts";
import { startHub } from "../../server/hub.ts";
import { createLogger } from "../../server/logger.ts";
import { DEFAULT_RATE_LIMITS } from "../../server/rate-limits.ts";
import { median, percentile } from "./harness/stats.ts";

const PASSWORD = "violet-ember-canyon-42";
/** Every limit these calls meet, raised so that the measurement measures work, not refusals. */
const UNLIMITED = { points: 1_000_000, durationSeconds: 60 };

function integer(min: number, max: number) {
  return (text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`Give a whole number from ${min} to ${max}.`);
    return value;
  };
}

const options = new Command("enumeration-timing")
  .addOption(new Option("--samples <n>", "calls per path for the code checks").default(200).argParser(integer(10, 10_000)))
  .addOption(new Option("--registrations <n>", "registrations per path (each hashes a password)").default(40).argParser(integer(4, 1_000)))
  .addOption(new Option("--cost <n>", "bcrypt cost of the hub").default(10).argParser(integer(4, 15)))
  .parse(process.argv)
  .opts<{ samples: number; registrations: number; cost: number }>();

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-enumeration-"));
const settings = readSettings({
  PAIRGATE_PORT: "0",
  PAIRGATE_DATA_DIR: path.join(root, "data"),
  PAIRGATE_CERT_DIR: path.join(root, "certs"),
  PAIRGATE_BCRYPT_COST: String(options.cost),
  PAIRGATE_LOG_LEVEL: "warn",
  PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true",
});
const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
const rateLimits = {
  ...DEFAULT_RATE_LIMITS,
  loginFailuresPerAddress: UNLIMITED,
  loginFailuresPerAccountAddress: UNLIMITED,
  loginFailuresPerAccount: UNLIMITED,
  registrationsPerAddress: UNLIMITED,
  eventsPerSocket: UNLIMITED,
};
const hub = await startHub({ settings, log: createLogger("warn", quiet), rateLimits });

function call(socket: Socket, event: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string } }> {
  return socket.timeout(60_000).emitWithAck(event, payload);
}

function publicKeyPem(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** Times `a` and `b` in turn, `count` times each; answers each one's milliseconds. */
async function alternate(count: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (let index = 0; index < count; index += 1) {
    for (const [slot, work] of [a, b].entries()) {
      const started = performance.now();
      await work();
      times[slot]!.push(performance.now() - started);
    }
  }
  return times;
}

function line(label: string, known: number[], unknown: number[], names = ["known", "unknown"]): string {
  const show = (samples: number[]) => `median ${median(samples).toFixed(2)} ms, p90 ${percentile(samples, 90).toFixed(2)} ms`;
  return `${label}: ${names[0]} ${show(known)} | ${names[1]} ${show(unknown)} | ratio of medians ${(median(known) / median(unknown)).toFixed(3)} (n = ${known.length} each)`;
}

const socket = io(`${hub.url}/client`, { ca: hub.caFile ? (await import("node:fs")).readFileSync(hub.caFile, "utf8") : undefined, transports: ["websocket"] });
try {
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("connect_error", reject));
  const owner = { username: "olga", email: "olga@example.test", password: PASSWORD, publicKey: publicKeyPem() };
  const registered = await call(socket, "account:register", owner);
  if (!registered.ok) throw new Error(`could not register the known account: ${registered.error?.code}`);
  const wrong = "000000";
  const reset = await alternate(
    options.samples,
    () => call(socket, "password:reset", { username: "olga", code: wrong, newPassword: "quiet-harbour-lantern-17" }),
    () => call(socket, "password:reset", { username: "nobody-here", code: wrong, newPassword: "quiet-harbour-lantern-17" }),
  );
  const verify = await alternate(
    options.samples,
    () => call(socket, "account:verify-email", { username: "olga", code: wrong }),
    () => call(socket, "account:verify-email", { username: "nobody-here", code: wrong }),
  );
  const key = owner.publicKey;
  let serial = 0;
  const registration = await alternate(
    options.registrations,
    () => call(socket, "account:register", { username: `taken${(serial += 1)}`, email: owner.email, password: PASSWORD, publicKey: key }),
    () => call(socket, "account:register", { username: `fresh${(serial += 1)}`, email: `fresh${serial}@example.test`, password: PASSWORD, publicKey: key }),
  );
  console.log(`PairGate enumeration timing: SQLite, bcrypt cost ${options.cost}, outbox mailer, ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
  console.log(line("password:reset, wrong code", ...reset));
  console.log(line("account:verify-email, wrong code", ...verify));
  console.log(line("account:register", ...registration, ["address taken", "address new"]));
} finally {
  socket.close();
  await hub.close();
  rmSync(root, { recursive: true, force: true });
}
