import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { ensureCertificates } from "../scripts/certs.ts";
import type { Settings } from "./config.ts";
import type { HubContext } from "./context.ts";
import { createDatabase } from "./db/client.ts";
import { applyMigrations } from "./db/migrate.ts";
import { ensurePrivateDir } from "./files.ts";
import { HubEvents } from "./hub-events.ts";
import type { Logger } from "./logger.ts";
import { createPasswordPool } from "./passwords/password-pool.ts";
import { deriveKey, loadHubKey } from "./secret-key.ts";
import { createRateLimits, type RateLimitSettings } from "./rate-limits.ts";
import { createHttpApp } from "./transport/http/http-app.ts";
import { createSocketServer } from "./transport/socket/socket-server.ts";

const MIGRATIONS_DIR = fileURLToPath(new URL("../prisma/sqlite/migrations", import.meta.url));

export interface HubOptions {
  settings: Settings;
  log: Logger;
  rateLimits?: RateLimitSettings;
}

export interface Hub {
  /** `https://host:port` as clients reach it. */
  url: string;
  port: number;
  caFile: string;
  context: HubContext;
  close(): Promise<void>;
}

/** Prepares data, certificates and storage, then listens. Nothing is served until all is ready. */
export async function startHub({ settings, log, rateLimits }: HubOptions): Promise<Hub> {
  ensurePrivateDir(settings.dataDir);
  const { files, created } = ensureCertificates(settings.certDir);
  if (created.length > 0) log.info({ certDir: settings.certDir, created }, "created TLS certificates");
  await applyMigrations(settings.databaseFile, MIGRATIONS_DIR, log);

  const hubKey = loadHubKey(settings);
  const keys = { hotpSecrets: deriveKey(hubKey, "hotp-secrets"), codeHashes: deriveKey(hubKey, "code-hashes") };
  const db = createDatabase(settings.databaseFile);
  const passwords = createPasswordPool(settings.bcryptCost, settings.hashThreads);
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, task: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      task().catch((error: unknown) => log.error({ err: error }, "scheduled task failed"));
    }, ms);
    timer.unref();
    timers.add(timer);
  };
  const context: HubContext = { settings, db, passwords, limits: createRateLimits(rateLimits), events: new HubEvents(), log, keys, later };

  const server = https.createServer({ cert: readFileSync(files.certFile), key: readFileSync(files.keyFile) }, createHttpApp(context));
  const io = createSocketServer(context, server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = settings.host.includes(":") ? `[${settings.host}]` : settings.host;
  const url = `https://${host}:${port}`;
  log.info({ url, database: settings.databaseFile }, "hub listening");

  let closing: Promise<void> | undefined;
  async function close(): Promise<void> {
    // Stop accepting, close every socket, then release timers, workers and the database.
    for (const timer of timers) clearTimeout(timer);
    await new Promise<void>((resolve) => io.close(() => resolve()));
    server.closeAllConnections();
    await passwords.close();
    await db.$disconnect();
    log.info("hub stopped");
  }
  return { url, port, caFile: files.caFile, context, close: () => (closing ??= close()) };
}
