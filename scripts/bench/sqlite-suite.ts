import { CHALLENGE_ACCOUNTS, LOGIN_LANES_PER_THREAD, measurePart, PROBE_ACCOUNTS, type BenchRun } from "./bench-run.ts";
import { measureChallengeRoundTrip } from "./challenge-round-trip.ts";
import { measureEventLatency } from "./event-latency.ts";
import { challengeFigures, floodFigure, idleFigures, latencyFigure, loginFigure, reconnectFigures } from "./figures.ts";
import { startBareServer } from "./harness/bare-server.ts";
import { seedAccounts, seedClientKey, seedDevices, seedSessions } from "./harness/fixtures.ts";
import { startHubProcess } from "./harness/hub-process.ts";
import { startSocketFleets } from "./harness/socket-fleet.ts";
import { measureIdleSockets } from "./idle-sockets.ts";
import { measureLoginThroughput } from "./login-throughput.ts";
import { FLOOD_ADDRESSES, generateOwnerKey, measureLoginUnderFlood } from "./login-under-flood.ts";
import { measureReconnectStorm } from "./reconnect-storm.ts";
import type { Figure } from "./report.ts";
import { createDatabase } from "../../server/db/client.ts";

/** Sockets one fleet process holds: well inside its file-descriptor limit and one event loop's comfort. */
const SOCKETS_PER_FLEET = 2_500;

/** Every single-process figure, on one hub with SQLite (the default storage). */
export async function runSqliteSuite(run: BenchRun): Promise<Figure[]> {
  const figures: Figure[] = [];
  // Its own hub, restarted on a fixed port: before the shared hub starts, on a quiet machine.
  figures.push(...(await measurePart(run, "reconnect", [`Reconnect storm after a restart (${run.settings.stormDevices} devices)`], () => reconnectStorm(run))));
  if (!["idle", "login", "latency", "challenge", "flood"].some((part) => run.includes(part))) return figures;
  const { settings, workspace, hashes } = run;
  run.progress(`starting a hub on SQLite (bcrypt cost ${settings.cost}, ${settings.threads} hash threads)`);
  const hub = await startHubProcess({ name: "hub-sqlite", workspace, bcryptCost: settings.cost, hashThreads: settings.threads });
  const db = createDatabase(hub.databaseUrl);
  const idleCount = run.includes("idle") ? settings.sockets : 0;
  run.progress(`seeding ${idleCount} device accounts and the login, probe and challenge accounts`);
  const loginAccounts = await seedAccounts(db, "login", LOGIN_LANES_PER_THREAD * settings.threads, hashes.configured);
  const challengeAccounts = await seedAccounts(db, "challenge", CHALLENGE_ACCOUNTS, hashes.fast);
  const challengeDevices = await seedDevices(db, workspace.hotpSecretsKey, challengeAccounts);
  const probeTokens = await seedSessions(db, await seedAccounts(db, "probe", PROBE_ACCOUNTS, hashes.fast));
  const idleDevices = await seedDevices(db, workspace.hotpSecretsKey, await seedAccounts(db, "idle", idleCount, hashes.fast));
  const [floodOwner] = await seedAccounts(db, "owner", 1, hashes.configured);
  const ownerKey = generateOwnerKey();
  await seedClientKey(db, floodOwner!, ownerKey.publicKeyPem, ownerKey.fingerprint);
  await db.close();

  const attempt = async (part: string, benchmarks: string[], measure: () => Promise<Figure[]>) => figures.push(...(await measurePart(run, part, benchmarks, measure)));
  try {
    // First, while the hub process is fresh: memory already touched by other work would be reused.
    await attempt("idle", [`Idle device sockets (${idleCount})`], async () => {
      const perServer = Math.ceil(idleCount / SOCKETS_PER_FLEET);
      const fleets = await startSocketFleets(2 * perServer, workspace.logDir);
      try {
        run.progress(`idle sockets: ${idleCount} on the hub and as many on bare Socket.IO, each from ${perServer} client processes`);
        const [hubFleets, bareFleets] = [fleets.slice(0, perServer), fleets.slice(perServer)];
        const result = await measureIdleSockets({ hub, bare: run.bare, hubFleets, bareFleets, ca: workspace.ca, devices: idleDevices });
        for (const [name, side] of [["hub", result.hub], ["bare", result.bare]] as const) run.progress(`idle sockets, ${name}: before ${memoryText(side.before)}; after ${memoryText(side.after)}`);
        return idleFigures(result);
      } finally {
        await Promise.all(fleets.map((fleet) => fleet.stop()));
      }
    });
    const loginTitle = `Login throughput, SQLite, cost ${settings.cost}`;
    await attempt("login", [loginTitle], async () => {
      run.progress(`login throughput: ${settings.rounds} rounds of ${settings.windowMs / 1000} s raw bcryptjs, then ${settings.windowMs / 1000} s of logins`);
      const result = await measureLoginThroughput({
        hubs: [hub],
        ca: workspace.ca,
        accounts: loginAccounts,
        passwordHash: hashes.configured,
        baseline: run.baseline,
        threads: settings.threads,
        rounds: settings.rounds,
        windowMs: settings.windowMs,
      });
      return [loginFigure(loginTitle, result, settings.cost, settings.threads)];
    });
    await attempt("latency", ["Event p99 while logins saturate the hash pool"], async () => {
      run.progress(`event latency: ${settings.rounds} rounds of an idle window, then a window with logins saturating the pool`);
      // One login per hash thread and one waiting: the pool never idles, and it drains within
      // about two hash times when a loaded window ends, before the next idle one.
      const loadAccounts = loginAccounts.slice(0, settings.threads + 1);
      return [latencyFigure(await measureEventLatency({ hub, ca: workspace.ca, probeTokens, loadAccounts, rounds: settings.rounds, windowMs: settings.windowMs }))];
    });
    await attempt("challenge", ["Challenge round trip, SQLite"], async () => {
      run.progress(`challenge round trip on SQLite: ${settings.samples} logins approved on a device`);
      const result = await measureChallengeRoundTrip({
        clientHubUrl: hub.url,
        deviceHubUrl: hub.url,
        bareUrl: run.bare.url,
        ca: workspace.ca,
        accounts: challengeAccounts,
        devices: challengeDevices,
        samples: settings.samples,
      });
      return challengeFigures("SQLite", result);
    });
    // Last: the flood spends the flooding addresses' failure budgets and leaves the queue busy for a while.
    await attempt("flood", ["Owner's login during a password-queue flood"], async () => {
      run.progress(`owner's login under a flood: ${settings.rounds} rounds of idle logins, then logins while ${FLOOD_ADDRESSES} addresses flood the password queue`);
      const result = await measureLoginUnderFlood({ hub, ca: workspace.ca, owner: floodOwner!, ownerKey, rounds: settings.rounds });
      return [floodFigure(result, settings.cost, settings.threads)];
    });
  } finally {
    await hub.stop();
  }
  return figures;
}

async function reconnectStorm(run: BenchRun): Promise<Figure[]> {
  const { settings, workspace, hashes } = run;
  const dataDir = workspace.folder("hub-storm-data");
  const startHub = (port?: number) => startHubProcess({ name: "hub-storm", workspace, bcryptCost: settings.cost, hashThreads: settings.threads, dataDir, port });
  run.progress(`reconnect storm: seeding ${settings.stormDevices} paired devices on a hub of its own`);
  const seeding = await startHub();
  let devices;
  try {
    const db = createDatabase(seeding.databaseUrl);
    devices = await seedDevices(db, workspace.hotpSecretsKey, await seedAccounts(db, "storm", settings.stormDevices, hashes.fast));
    await db.close();
  } finally {
    await seeding.stop();
  }
  const perServer = Math.ceil(settings.stormDevices / SOCKETS_PER_FLEET);
  const fleets = await startSocketFleets(2 * perServer, workspace.logDir);
  try {
    run.progress(`reconnect storm: ${settings.stormDevices} devices connect to the hub, which restarts; then the same against bare Socket.IO`);
    const result = await measureReconnectStorm({
      startHub,
      startBare: (port) => startBareServer(workspace, { name: "bare-storm", port }),
      hubFleets: fleets.slice(0, perServer),
      bareFleets: fleets.slice(perServer),
      ca: workspace.ca,
      devices,
    });
    return reconnectFigures(result);
  } finally {
    await Promise.all(fleets.map((fleet) => fleet.stop()));
  }
}

function memoryText(memory: NodeJS.MemoryUsage): string {
  const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
  return `rss ${mb(memory.rss)}, heap used ${mb(memory.heapUsed)} of ${mb(memory.heapTotal)}, external ${mb(memory.external)}`;
}
