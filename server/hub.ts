import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import type { Server } from "socket.io";
import { ensureCertificates, type CertificateFiles } from "./tls/certificates.ts";
import { systemClock, type Clock } from "./clock.ts";
import type { Settings } from "./config.ts";
import type { HubContext } from "./context.ts";
import { createDatabase } from "./db/client.ts";
import { connectDependencies } from "./dependencies/dependencies.ts";
import { unreachableDependencyOf } from "./dependencies/unreachable-errors.ts";
import { describeDatabase } from "./db/database-url.ts";
import { claimDatabaseForHub, type DatabaseClaim } from "./db/hub-lock.ts";
import { applyMigrations } from "./db/migrate.ts";
import { ensurePrivateDir } from "./files.ts";
import { HUB_TLS_OPTIONS } from "./tls/tls-options.ts";
import { HubEvents } from "./hub-events.ts";
import { LISTEN_BACKLOG } from "./listen-backlog.ts";
import { startHousekeeping } from "./housekeeping.ts";
import type { Logger } from "./logger.ts";
import { createMailer } from "./mail/configured-mailer.ts";
import { createPasswordPool } from "./passwords/password-pool.ts";
import { deriveKey, loadHubKey } from "./secret-key.ts";
import { createRateLimits, type RateLimitSettings } from "./rate-limits.ts";
import { createHttpApp } from "./transport/http/http-app.ts";
import { NO_MESSAGE_CONNECTION, type Connection } from "./events/handler.ts";
import { hasListeningClient, type ClientNamespace } from "./transport/socket/client-socket.ts";
import { connectedSessionIds, createSocketServer, recheckSockets } from "./transport/socket/socket-server.ts";

export interface HubOptions {
  settings: Settings;
  log: Logger;
  rateLimits?: RateLimitSettings;
  /** Where the hub reads the time; tests pass one they can move forward. */
  clock?: Clock;
}

export interface Hub {
  /** `https://host:port` as clients reach it. */
  url: string;
  port: number;
  caFile: string;
  context: HubContext;
  /** The Socket.IO server: who is connected, for diagnostics and scripts/bench. */
  io: Server;
  /** `http://127.0.0.1:port/metrics` when PAIRGATE_METRICS_PORT is set; undefined otherwise. */
  metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** Prepares data, certificates and storage, then listens. Nothing is served until all is ready. */
export async function startHub({ settings, log, rateLimits, clock = systemClock }: HubOptions): Promise<Hub> {
  const openedTo = ensurePrivateDir(settings.dataDir);
  if (openedTo !== null) log.warn({ dataDir: settings.dataDir, previousMode: openedTo.toString(8) }, "the data folder was open to other users; it is now private (0700)");
  const { files, created } = ensureCertificates(settings.certDir);
  if (created.length > 0) log.info({ certDir: settings.certDir, created }, "created TLS certificates");
  // Held until the hub closes: `restore` and `rotate-secret-key` refuse while any hub holds it.
  const claim = await claimDatabaseForHub(settings.databaseUrl);
  try {
    return await startClaimedHub({ settings, log, rateLimits, clock }, files, claim);
  } catch (error) {
    await claim.release();
    throw error;
  }
}

async function startClaimedHub({ settings, log, rateLimits, clock = systemClock }: HubOptions, files: CertificateFiles, claim: DatabaseClaim): Promise<Hub> {
  await applyMigrations(settings.databaseUrl, { log });

  const hubKey = loadHubKey(settings);
  const keys = {
    hotpSecrets: deriveKey(hubKey, "hotp-secrets"),
    codeHashes: deriveKey(hubKey, "code-hashes"),
    emailCodes: deriveKey(hubKey, "email-codes"),
    recoveryCodes: deriveKey(hubKey, "recovery-codes"),
    retiredKeys: deriveKey(hubKey, "retired-keys"),
  };
  const db = createDatabase(settings.databaseUrl);
  const passwords = createPasswordPool(settings.bcryptCost, settings.hashThreads);
  const timers = new Set<() => void>();
  const later = (ms: number, task: () => Promise<void>) => {
    const cancelTimer = clock.schedule(ms, () => {
      timers.delete(cancel);
      // A task that needed an unreachable service is dropped quietly: the outage is logged once, elsewhere.
      return task().catch((error: unknown) => {
        if (!unreachableDependencyOf(error)) log.error({ err: error }, "scheduled task failed");
      });
    });
    const cancel = () => {
      timers.delete(cancel);
      cancelTimer();
    };
    timers.add(cancel);
    return cancel;
  };
  const mailer = createMailer(settings, log, clock);
  log.info({ mail: mailer.kind, emailVerification: settings.requireEmailVerification ? "required" : "optional" }, "mail ready");
  // Redis (with REDIS_URL) for rate limits and sockets shared across hub processes, and the health of each dependency.
  const dependencies = await connectDependencies(settings, db, log, clock);
  const limits = createRateLimits(rateLimits, dependencies.rateLimitBucket);
  const context: HubContext = { settings, db, passwords, limits, events: new HubEvents(), log, mailer, keys, clock, later };

  // A REST request holds no connection to receive messages on, but may ask who listens; requests
  // are served only after `io` exists (the server listens below).
  const restConnection: Connection = {
    ...NO_MESSAGE_CONNECTION,
    hasListeningClient: (userId) => hasListeningClient(io.of("/client") as unknown as ClientNamespace, userId, clock.now()),
  };
  const server = https.createServer({ ...HUB_TLS_OPTIONS, cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) }, createHttpApp(context, dependencies.health, restConnection));
  const io = createSocketServer(context, server, dependencies);
  // prom-client is loaded only when metrics are asked for (PAIRGATE_METRICS_PORT); they are off by default.
  const metricsModule = settings.metrics ? await import("./metrics.ts") : undefined;
  const metrics = metricsModule?.createHubMetrics(context, io);
  // Serve only once this process hears the others (its Socket.IO adapter has subscribed).
  await dependencies.redis?.subscribed();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port: settings.port, host: settings.host, backlog: LISTEN_BACKLOG }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  const url = `https://${host}:${port}`;
  log.info({ url, database: describeDatabase(settings.databaseUrl) }, "hub listening");
  const metricsListener = metricsModule && metrics && settings.metrics ? await metricsModule.serveMetrics(metrics.registry, settings.metrics) : undefined;
  if (metricsListener) log.info({ url: metricsListener.url }, "metrics served");
  const housekeeping = startHousekeeping(context, {
    connectedSessionIds: () => connectedSessionIds(io),
    recheckSockets: () => recheckSockets(context, io),
  });

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    // Stop accepting, close every socket, then release timers, workers and the database.
    for (const cancel of timers) cancel();
    await housekeeping.stop();
    await new Promise<void>((resolve) => io.close(() => resolve()));
    server.closeAllConnections();
    await metricsListener?.close();
    metrics?.stop();
    await passwords.close();
    mailer.close();
    dependencies.close();
    await db.$disconnect();
    await claim.release();
    log.info("hub stopped");
  }
  return { url, port, caFile: files.caFile, context, io, metricsUrl: metricsListener?.url, close: () => (closing ??= close()) };
}
