import http from "node:http";
import type { AddressInfo } from "node:net";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { Server } from "socket.io";
import type { HubContext } from "./context.ts";

/**
 * The hub's Prometheus metrics (docs/OPERATIONS.md, "Monitoring"). Labels come only from fixed
 * sets the hub itself defines (protocol event names, error codes, outcomes, namespaces), never
 * from a request: no username, address, id or token can become a label.
 */
const NAMESPACES = ["/client", "/device"] as const;
// From a person reading the number on the client to the tap on the device: seconds, up to the
// challenge's 120 s validity.
const APPROVAL_BUCKETS_SECONDS = [1, 2, 3, 5, 8, 13, 20, 30, 45, 60, 90, 120];
// Challenges whose opening this process saw, for the approval latency; a challenge lives 120 s,
// so an entry older than that is dropped on the next decision.
const CHALLENGE_MEMORY_MS = 10 * 60 * 1000;
const LOGIN_STEPS: Record<string, string> = { "auth:login": "password", "auth:complete": "complete" };

export interface HubMetrics {
  registry: Registry;
  stop(): void;
}

export function createHubMetrics(ctx: HubContext, io: Server): HubMetrics {
  const registry = new Registry();
  // The standard process and Node.js metrics under their usual names (nodejs_eventloop_lag_seconds, ...).
  collectDefaultMetrics({ register: registry });
  const events = new Counter({ name: "pairgate_events_total", help: "Events answered, by event and outcome (ok or the error code)", labelNames: ["event", "outcome"], registers: [registry] });
  const logins = new Counter({ name: "pairgate_logins_total", help: "Login steps answered: password (auth:login) and complete (auth:complete), by outcome (ok or the error code)", labelNames: ["step", "outcome"], registers: [registry] });
  const opened = new Counter({ name: "pairgate_challenges_opened_total", help: "Login challenges opened", registers: [registry] });
  const closed = new Counter({ name: "pairgate_challenges_closed_total", help: "Login challenges closed, by outcome", labelNames: ["outcome"], registers: [registry] });
  const approval = new Histogram({ name: "pairgate_challenge_approval_seconds", help: "Time from a challenge's opening to its approval or denial on a device", labelNames: ["outcome"], buckets: APPROVAL_BUCKETS_SECONDS, registers: [registry] });
  new Gauge({
    name: "pairgate_sockets",
    help: "Sockets connected to this hub process, by namespace",
    labelNames: ["namespace"],
    registers: [registry],
    collect() {
      for (const namespace of NAMESPACES) this.set({ namespace }, io.of(namespace).sockets.size);
    },
  });
  new Gauge({
    name: "pairgate_password_queue_length",
    help: "Password hashes and checks waiting for a worker thread",
    registers: [registry],
    collect() {
      this.set(ctx.passwords.waitingTasks());
    },
  });

  const openedAt = new Map<string, number>();
  const onAnswer = ({ event, outcome }: { event: string; outcome: string }) => {
    events.inc({ event, outcome });
    const step = LOGIN_STEPS[event];
    if (step) logins.inc({ step, outcome });
  };
  const onOpened = ({ challenge }: { challenge: { challengeId: string } }) => {
    opened.inc();
    openedAt.set(challenge.challengeId, ctx.clock.now().getTime());
  };
  const onDecided = ({ challengeId, outcome }: { challengeId: string; outcome: string }) => {
    const now = ctx.clock.now().getTime();
    const start = openedAt.get(challengeId);
    if (start !== undefined) approval.observe({ outcome }, (now - start) / 1000);
    for (const [id, at] of openedAt) if (now - at > CHALLENGE_MEMORY_MS) openedAt.delete(id);
  };
  const onClosed = ({ challengeId, outcome }: { challengeId: string; outcome: string }) => {
    closed.inc({ outcome });
    openedAt.delete(challengeId);
  };
  ctx.events.on("event-answered", onAnswer);
  ctx.events.on("challenge-opened", onOpened);
  ctx.events.on("challenge-decided", onDecided);
  ctx.events.on("challenge-closed", onClosed);
  return {
    registry,
    stop() {
      ctx.events.off("event-answered", onAnswer);
      ctx.events.off("challenge-opened", onOpened);
      ctx.events.off("challenge-decided", onDecided);
      ctx.events.off("challenge-closed", onClosed);
      registry.clear();
    },
  };
}

export interface MetricsListener {
  /** `http://host:port/metrics`. */
  url: string;
  close(): Promise<void>;
}

/** /metrics on its own plain-HTTP listener: GET /metrics only, everything else 404. */
export async function serveMetrics(registry: Registry, where: { host: string; port: number }): Promise<MetricsListener> {
  const server = http.createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType, "cache-control": "no-store" }).end(text),
      () => response.writeHead(500, { "content-type": "text/plain" }).end("Metrics unavailable\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(where.port, where.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = where.host.includes(":") ? `[${where.host}]` : where.host;
  return {
    url: `http://${host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
