import type { Socket } from "socket.io";
import type { HubContext } from "../../context.ts";
import { dispatchEvent, type EventRoutes } from "../../events/dispatch.ts";
import { internalError } from "../../events/failures.ts";
import type { Caller, Effect } from "../../events/handler.ts";

/** What every socket the router serves keeps in memory. */
export interface RoutedSocketData {
  /** Requests being handled; a socket whose credentials end mid-request waits for the ack. */
  inFlight: number;
  /** Its session or pairing has ended: it closes a grace after its last answer (closeWhenIdle). */
  closeWhenIdle: boolean;
}

type AnySocket = Socket<never, never, never, RoutedSocketData>;

export interface SocketRoutes<S extends AnySocket> {
  routes: EventRoutes;
  /** Who the socket is now: its session or device as the handshake or an earlier event set it. */
  callerOf(ctx: HubContext, socket: S): Caller;
  /** Carries out what a handler asked of the caller's connection. */
  apply(ctx: HubContext, socket: S, effect: Effect): Promise<void>;
}

/**
 * The Socket.IO adapter over dispatchEvent: every event must carry an ack callback; the reply
 * is sent once the handler's effects on this socket are in place.
 */
export function routeEvents<S extends AnySocket>(ctx: HubContext, socket: S, table: SocketRoutes<S>): void {
  const logFields = { socketId: socket.id };
  socket.onAny((event: string, ...args: unknown[]) => {
    const reply = args.at(-1);
    if (typeof reply !== "function") {
      // Every protocol event is acked; one without is a broken or hostile client: close it,
      // rather than let it fill the log.
      ctx.log.warn({ socketId: socket.id, event: Object.hasOwn(table.routes.definitions, event) ? event : "(unknown)" }, "event without ack callback: closing the socket");
      socket.disconnect(true);
      return;
    }
    // Its client goes on using it without the ended session or pairing, as a new connection
    // would be used (a page logging in again after a password reset): it stays open.
    if (socket.data.closeWhenIdle) keepOpen(socket);
    socket.data.inFlight += 1;
    const payload = args.length > 1 ? args[0] : undefined;
    void dispatchEvent(ctx, table.routes, { event, payload, caller: table.callerOf(ctx, socket), budgetKey: socket.id, logFields })
      .then(async ({ ack, effects }) => {
        for (const effect of effects) await table.apply(ctx, socket, effect);
        return ack;
      })
      .then(
        (ack) => reply(ack),
        (error: unknown) => {
          ctx.log.error({ err: error, socketId: socket.id, event }, "applying an event's effects failed");
          reply(internalError());
        },
      )
      .finally(() => {
        socket.data.inFlight -= 1;
        if (socket.data.inFlight === 0 && socket.data.closeWhenIdle) closeAfterGrace(socket);
      });
  });
}

/**
 * How long a socket whose credentials ended stays open after its last answer, unless its client
 * closes it first. python-socketio, for one, handles each packet on a thread or task of its own
 * and drops its pending calls on a disconnect, so an answer that the close follows at once can be
 * lost before it is read.
 */
export const CLOSE_GRACE_MS = 2_000;

/**
 * Forgets nothing by itself (the caller has dropped the socket's session or device and its
 * rooms): the socket answers the requests in flight, and closes a short grace after the last
 * answer unless its client closes it first or sends another event.
 */
export function closeWhenIdle(socket: AnySocket): void {
  socket.data.closeWhenIdle = true;
  if (socket.data.inFlight === 0) closeAfterGrace(socket);
}

// Not in socket.data: another hub process may fetch a socket's data through the Redis adapter.
const closeTimers = new WeakMap<AnySocket, NodeJS.Timeout>();

function closeAfterGrace(socket: AnySocket): void {
  if (closeTimers.has(socket) || socket.disconnected) return;
  const timer = setTimeout(() => socket.disconnect(true), CLOSE_GRACE_MS);
  closeTimers.set(socket, timer);
  socket.once("disconnect", () => clearTimeout(timer));
}

function keepOpen(socket: AnySocket): void {
  socket.data.closeWhenIdle = false;
  clearTimeout(closeTimers.get(socket));
  closeTimers.delete(socket);
}
