import type { z } from "zod";
import type { Access, Ack, EventTable } from "#protocol";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveDevice } from "../devices/devices.ts";
import type { ActiveSession } from "../sessions/sessions.ts";

/** What only the transport that holds the connections can answer or do, for the chat. */
export interface Connection {
  /** Whether a user has a client listening for messages, on any hub process. */
  hasListeningClient(userId: string): Promise<boolean>;
  /** From now on, the caller's own connection receives the user's messages. */
  listenForMessages(userId: string): Promise<void>;
}

/** For callers without a client connection of their own (a device, a REST request). */
export const NO_MESSAGE_CONNECTION: Connection = {
  hasListeningClient: () => Promise.resolve(false),
  listenForMessages: () => Promise.reject(new TypeError("This transport has no connection to receive messages on.")),
};

/** Who sent an event, as far as the transport knows before the handler runs. */
export interface Caller {
  origin: Origin;
  /** The `/client` caller's live session, if any. */
  session?: ActiveSession;
  /** The `/device` caller's paired device, if any. */
  device?: ActiveDevice;
  connection: Connection;
}

/** What a handler of an event of this access level may rely on: the router has checked it. */
export type CallerFor<A extends Access> = A extends "session" | "admin"
  ? Caller & { session: ActiveSession }
  : A extends "device"
    ? Caller & { device: ActiveDevice }
    : Caller;

/**
 * What the transport must do besides acking, for the caller's connection: a socket holds the
 * session from now on; or it opened a login, which ends when the socket goes (unless finished or
 * expired first); or its key proof sent the login to the devices, and it hears their decision; or
 * the login it opened is finished. A connection-less transport (the REST mirror) has nothing to do.
 */
export type Effect =
  | { kind: "session-started"; session: ActiveSession }
  | { kind: "login-opened"; challengeId: string; expiresAt: Date }
  | { kind: "login-pushed"; challengeId: string }
  | { kind: "login-finished"; challengeId: string };

export interface Outcome<R> {
  ack: Ack<R>;
  effects: readonly Effect[];
}

export function withEffects<R>(ack: Ack<R>, ...effects: Effect[]): Outcome<R> {
  return { ack, effects };
}

/** One event's handler: a function of the hub context, the caller and the parsed payload. */
export type EventHandler<T extends EventTable, E extends keyof T> = (
  ctx: HubContext,
  caller: CallerFor<T[E]["access"]>,
  payload: z.output<T[E]["payload"]>,
) => Promise<Ack<z.output<T[E]["reply"]>> | Outcome<z.output<T[E]["reply"]>>>;

/** One handler per event of the table: a missing or unknown name fails to compile. */
export type HandlerTable<T extends EventTable> = { [E in keyof T]: EventHandler<T, E> };
