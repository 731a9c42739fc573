import type { z } from "zod";
import { FRESH_PROOF_TTL_SECONDS } from "./constants.ts";
import type { ErrorCode } from "./errors.ts";

export type Namespace = "/client" | "/device";
/** anonymous: anyone; session: a logged-in `/client` socket (admin: with role admin); device: a paired `/device` socket. */
export type Access = "anonymous" | "session" | "admin" | "device";

/**
 * A code an event answers for a reason of its own; with a second element, what the code means
 * for this event when the shared table's sentence says too little. The codes every event can
 * answer (`COMMON_ERRORS`, and `ACCESS_ERRORS` of its access) are not listed.
 */
export type ErrorEntry = ErrorCode | readonly [ErrorCode, string];

/**
 * One event, declared once: who may send it, its payload schema, its reply (the `data` of a
 * successful ack), the error codes it answers and an example for docs/PROTOCOL.md. The namespace
 * comes from the table the event sits in. The hub, the clients and the docs are checked against it.
 */
export interface EventSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, A extends Access = Access> {
  access: A;
  summary: string;
  payload: P;
  reply: R;
  errors: readonly ErrorEntry[];
  example: { payload: z.input<P>; reply: z.output<R> };
}

export interface EventDefinition<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType, A extends Access = Access> extends EventSpec<P, R, A> {
  namespace: Namespace;
}

/** Declares one event; the example is checked against the schemas when it compiles. */
export function defineEvent<P extends z.ZodType, R extends z.ZodType, A extends Access>(spec: EventSpec<P, R, A>): EventSpec<P, R, A> {
  return spec;
}

/** A hub-to-client push: pushed, never acked. */
export interface PushSpec<P extends z.ZodType = z.ZodType> {
  summary: string;
  payload: P;
  example: z.input<P>;
}

export function definePush<P extends z.ZodType>(spec: PushSpec<P>): PushSpec<P> {
  return spec;
}

type Stamped<N extends Namespace, T extends Record<string, EventSpec>> = { [E in keyof T]: T[E] & { namespace: N } };

/** The events of one namespace, each stamped with it. */
export function namespaceEvents<N extends Namespace, T extends Record<string, EventSpec>>(namespace: N, events: T): Stamped<N, T> {
  return Object.fromEntries(Object.entries(events).map(([name, spec]) => [name, { ...spec, namespace }])) as Stamped<N, T>;
}

export type EventTable = Record<string, EventDefinition>;
/** What a handler receives, after the schema's defaults and transforms. */
export type PayloadOf<T extends EventTable, E extends keyof T> = z.output<T[E]["payload"]>;
/** What a sender writes. */
export type InputOf<T extends EventTable, E extends keyof T> = z.input<T[E]["payload"]>;
export type ReplyOf<T extends EventTable, E extends keyof T> = z.output<T[E]["reply"]>;

/** What the dispatch step itself may answer, before, around or instead of any handler. */
export const COMMON_ERRORS: readonly ErrorCode[] = ["invalid_request", "rate_limited", "unavailable", "internal_error"];
/** Added for events that need credentials: a session on `/client` (and role `admin` for admin events), a paired device on `/device`. */
export const ACCESS_ERRORS: Readonly<Record<Access, readonly ErrorCode[]>> = {
  anonymous: [],
  session: ["unauthorized"],
  admin: ["unauthorized", "forbidden"],
  device: ["unauthorized"],
};

/**
 * Listed by every sensitive event (sudo mode): a session token alone does not do it, the password
 * or a device's code must have been proven on the session within the last few minutes.
 */
export const REAUTHENTICATION_REQUIRED: ErrorEntry = [
  "reauthentication_required",
  `The session has not proven the password or a device's code in the last ${FRESH_PROOF_TTL_SECONDS / 60} minutes (a login counts): send \`session:reauthenticate\`, then this event again. Nothing was changed.`,
];

/** Every code an event may answer: its own, its access level's and the common ones. */
export function answerableCodes(definition: Pick<EventDefinition, "access" | "errors">): Set<ErrorCode> {
  const own = definition.errors.map((entry) => (typeof entry === "string" ? entry : entry[0]));
  return new Set([...own, ...ACCESS_ERRORS[definition.access], ...COMMON_ERRORS]);
}
