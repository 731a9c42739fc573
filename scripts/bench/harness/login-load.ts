import type { Socket } from "socket.io-client";
import type { BenchAccount } from "./fixtures.ts";
import { callAck } from "./sockets.ts";

/**
 * Closed-loop `auth:login` load: one lane per account, each sending its next login as soon as
 * the previous one is answered, so that the hub's hash pool always has work queued. Sockets are
 * taken in turn, which keeps every socket well inside the hub's per-socket event budget.
 */
export class LoginLoad {
  private running = false;
  private lanes: Promise<void>[] = [];
  private nextSocket = 0;
  private readonly answeredAt: number[] = [];
  private readonly failures = new Map<string, number>();

  constructor(
    private readonly sockets: readonly Socket[],
    private readonly accounts: readonly BenchAccount[],
  ) {
    if (sockets.length === 0 || accounts.length === 0) throw new TypeError("LoginLoad needs sockets and accounts");
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.lanes = this.accounts.map((account) => this.lane(account));
  }

  /** Stops sending and waits for the logins in flight to be answered. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
    this.lanes = [];
  }

  /** Logins answered successfully between two `performance.now()` times. */
  answeredBetween(from: number, to: number): number {
    return this.answeredAt.filter((at) => at >= from && at < to).length;
  }

  /** Throws when any login was refused: a refused login measures the refusal, not the hub. */
  assertNoFailures(): void {
    if (this.failures.size === 0) return;
    const summary = [...this.failures].map(([code, count]) => `${count} × ${code}`).join(", ");
    throw new Error(`logins were refused during the load (${summary})`);
  }

  private async lane(account: BenchAccount): Promise<void> {
    while (this.running) {
      const socket = this.sockets[this.nextSocket++ % this.sockets.length]!;
      const ack = await callAck<unknown>(socket, "auth:login", { username: account.username, password: account.password });
      if (ack.ok) this.answeredAt.push(performance.now());
      else this.failures.set(ack.error.code, (this.failures.get(ack.error.code) ?? 0) + 1);
    }
  }
}
