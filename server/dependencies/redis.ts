import type { Redis, RedisOptions } from "ioredis";
import type { createAdapter as CreateAdapter } from "@socket.io/redis-adapter";
import type { DependencyHealth } from "./dependency-health.ts";

/**
 * The hub's three connections to Redis (REDIS_URL). ioredis reconnects by itself, for ever,
 * after an outage; what differs is what each connection does meanwhile.
 */
export interface HubRedis {
  /**
   * Rate limits and health probes: fails at once while disconnected, and after
   * COMMAND_TIMEOUT_MS while connected but silent, so a request is refused rather than held.
   */
  commands: Redis;
  /**
   * The Socket.IO adapter's publisher: while disconnected, messages wait in ioredis's queue, but
   * their callers stop waiting after COMMAND_TIMEOUT_MS (fetchSockets is refused, not held).
   */
  publisher: Redis;
  /** The Socket.IO adapter's subscriber; ioredis subscribes again after reconnecting. */
  subscriber: Redis;
  /**
   * Resolves once every subscription asked for so far is in place (or after
   * FIRST_CONNECTION_WAIT_MS): until then, what other processes publish does not reach this one.
   */
  subscribed(): Promise<void>;
  /** The Socket.IO adapter over the publisher and subscriber, its keys starting with `key`. */
  socketAdapter(key: string): ReturnType<typeof CreateAdapter>;
  close(): void;
}

// Long enough for a busy Redis, short enough that a person waits at most this before a clear refusal.
const COMMAND_TIMEOUT_MS = 1_500;
// How long start-up waits for the first connection before serving degraded (and saying so).
const FIRST_CONNECTION_WAIT_MS = 5_000;

export async function connectRedis(url: string, health: DependencyHealth): Promise<HubRedis> {
  // Loaded here, not at start: a hub without REDIS_URL never needs ioredis or the adapter.
  const [{ Redis }, { createAdapter }] = await Promise.all([import("ioredis"), import("@socket.io/redis-adapter")]);
  let closing = false;
  const lost = (error: unknown) => closing || health.record("redis", false, error);
  const base: RedisOptions = { connectionName: "pairgate-hub", maxRetriesPerRequest: null };
  // The three share one server: the first connection's state speaks for all of them.
  const commands = new Redis(url, { ...base, enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS });
  commands.on("error", lost);
  commands.on("close", () => lost(new Error("connection closed")));
  commands.on("ready", () => health.record("redis", true));
  const publisher = new Redis(url, { ...base, commandTimeout: COMMAND_TIMEOUT_MS });
  // No ready check (INFO) on the subscriber: once it has subscribed, INFO is refused, and ioredis
  // 5.9 then drops the connection and loses the subscriptions made before it was ready.
  const subscriber = new Redis(url, { ...base, enableReadyCheck: false });
  // Without a listener, ioredis prints every reconnection failure to the console.
  for (const client of [publisher, subscriber]) client.on("error", () => {});
  // The adapter drops these promises; a rejection left unhandled would stop the process.
  handleRejections(publisher, ["publish"], lost);
  const subscriptions: Promise<unknown>[] = [];
  handleRejections(subscriber, ["subscribe", "psubscribe", "unsubscribe", "punsubscribe"], lost, (sent) => subscriptions.push(sent));

  // The adapter subscribes as soon as it exists: on a ready connection, not a half-open one.
  await Promise.race([Promise.all([commands, publisher, subscriber].map(untilReady)), delay(FIRST_CONNECTION_WAIT_MS)]);
  return {
    commands,
    publisher,
    subscriber,
    socketAdapter: (key) => createAdapter(publisher, subscriber, { key }),
    async subscribed() {
      await Promise.race([Promise.allSettled(subscriptions), delay(FIRST_CONNECTION_WAIT_MS)]);
    },
    close() {
      closing = true;
      for (const client of [commands, publisher, subscriber]) client.disconnect();
    },
  };
}

type CommandName = "publish" | "subscribe" | "psubscribe" | "unsubscribe" | "punsubscribe";

function handleRejections(client: Redis, names: CommandName[], onRejection: (error: unknown) => void, onSent?: (sent: Promise<unknown>) => void): void {
  for (const name of names) {
    const send = (client[name] as (...args: unknown[]) => Promise<unknown>).bind(client);
    const guarded = (...args: unknown[]) => {
      const sent = send(...args);
      sent.catch(onRejection);
      onSent?.(sent);
      return sent;
    };
    Object.assign(client, { [name]: guarded });
  }
}

function untilReady(client: Redis): Promise<unknown> {
  return client.status === "ready" ? Promise.resolve() : new Promise((resolve) => client.once("ready", resolve));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** The URL without its password, for logs. */
export function redisUrlForLog(url: string): string {
  const parsed = new URL(url);
  parsed.password = parsed.password ? "***" : "";
  return parsed.toString();
}
