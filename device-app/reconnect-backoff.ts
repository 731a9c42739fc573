import { HUB_CONNECT_TIMEOUT_MS } from "../terminal/hub-connection.ts";

export const RECONNECT_BASE_DELAY_MS = 1_000;
export const RECONNECT_MAX_DELAY_MS = 30_000;
// Spread of ±20%, so that the devices cut off together by a hub restart do not all come back
// in the same instant.
export const RECONNECT_JITTER = 0.2;

/**
 * Wait before reconnection attempt `attempt` (0 for the first): doubling from one second up to
 * thirty, with jitter. Computed here rather than left to socket.io-client, which keeps its next
 * delay to itself; the app shows it ("reconnecting in 4s").
 */
export function reconnectDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponential = Math.min(RECONNECT_MAX_DELAY_MS, RECONNECT_BASE_DELAY_MS * 2 ** Math.max(0, attempt));
  const jittered = exponential * (1 - RECONNECT_JITTER + 2 * RECONNECT_JITTER * random());
  return Math.round(Math.min(RECONNECT_MAX_DELAY_MS, jittered));
}

export const CONNECT_TIMEOUT_MAX_MS = 60_000;

/**
 * How long attempt n waits for the hub after `timedOut` attempts in a row gave up waiting: ten
 * seconds, doubling with each timeout up to a minute. A hub that answers slowly is busy (after
 * its restart every device comes back at once) and has this attempt queued: giving up throws
 * that work away and queues the same handshake again (gRPC's connection back-off likewise lets
 * its connect deadline grow with its delay).
 */
export function connectTimeoutMs(timedOut: number): number {
  return Math.min(CONNECT_TIMEOUT_MAX_MS, HUB_CONNECT_TIMEOUT_MS * 2 ** Math.max(0, timedOut));
}
