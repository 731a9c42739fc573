import type { Clock } from "../clock.ts";
import type { Logger } from "../logger.ts";
import type { DependencyName } from "./unreachable-errors.ts";

/** Asks a dependency for the cheapest possible answer (`SELECT 1`, `PING`); throws when it cannot. */
export type Probe = () => Promise<unknown>;

export type HealthReport = Partial<Record<DependencyName, { reachable: boolean }>>;

// A health check must answer even while a dependency hangs (a paused Redis, a database that
// accepts the connection but never replies): a probe slower than this counts as unreachable.
export const PROBE_TIMEOUT_MS = 3_000;
// Outages and recoveries are logged within this long even when no request touches the service.
export const PROBE_INTERVAL_MS = 5_000;

/**
 * What the hub knows of the services it depends on. Every observation (a probe, a client's
 * connection event, a failed call) goes through `record`, which logs only the changes: one
 * warning when a service is lost, one line when it is back, however many requests fail between.
 */
export class DependencyHealth {
  private readonly reachable = new Map<DependencyName, boolean>();
  private readonly downSince = new Map<DependencyName, number>();
  private readonly recoveryListeners: ((name: DependencyName) => void)[] = [];
  private readonly probes = new Map<DependencyName, Probe>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<HealthReport> | undefined;

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {}

  /** Adds a dependency to the health report, with the probe that checks it. */
  add(name: DependencyName, probe: Probe): void {
    this.probes.set(name, probe);
  }

  /** Records what was just seen of `name`; logs it only when it differs from what was known. */
  record(name: DependencyName, reachable: boolean, error?: unknown): void {
    const known = this.reachable.get(name);
    this.reachable.set(name, reachable);
    if (known === reachable) return;
    if (!reachable) {
      this.downSince.set(name, this.clock.now().getTime());
      this.log.warn({ dependency: name, reason: reasonOf(error) }, `${label(name)} is unreachable: requests that need it answer "unavailable" until it is back`);
      return;
    }
    const since = this.downSince.get(name);
    this.downSince.delete(name);
    // The first success at start-up is not a recovery.
    if (known === undefined) return;
    this.log.info({ dependency: name, outageSeconds: since ? Math.round((this.clock.now().getTime() - since) / 1000) : undefined }, `${label(name)} is reachable again`);
    for (const listener of this.recoveryListeners) listener(name);
  }

  /** Called each time `name` comes back after an outage. */
  onRecovery(listener: (name: DependencyName) => void): void {
    this.recoveryListeners.push(listener);
  }

  /** Probes every dependency now, in parallel, and records the outcomes; callers meanwhile share one round. */
  check(): Promise<HealthReport> {
    this.checking ??= this.probeAll().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async probeAll(): Promise<HealthReport> {
    const names = [...this.probes.keys()];
    const outcomes = await Promise.all(names.map((name) => this.probe(name)));
    return Object.fromEntries(names.map((name, index) => [name, { reachable: outcomes[index]! }]));
  }

  /** Probes every `intervalMs` until `stop`, so that outages are noticed and logged unprompted. */
  watch(intervalMs = PROBE_INTERVAL_MS): void {
    void this.check();
    this.timer = setInterval(() => void this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async probe(name: DependencyName): Promise<boolean> {
    let timeout: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_resolve, reject) => {
      timeout = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.probes.get(name)!(), timedOut]);
      this.record(name, true);
      return true;
    } catch (error) {
      this.record(name, false, error);
      return false;
    } finally {
      clearTimeout(timeout);
    }
  }
}

function label(name: DependencyName): string {
  return name === "redis" ? "Redis" : "The database";
}

/** The error's message only: a driver's error object may carry the connection URL and its password. */
function reasonOf(error: unknown): string | undefined {
  if (error === undefined) return undefined;
  return error instanceof Error ? error.message : String(error);
}
