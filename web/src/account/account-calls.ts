import type { Ack, ClientEventName, EventInput, EventReply } from "#protocol";
import type { HubConnection } from "../hub/hub-connection.ts";
import { reauthenticate, REAUTHENTICATION_REQUIRED } from "./reauthentication.ts";

/** A failed call, as the account pages show it: the hub's sentence, and a retry time when there is one. */
export function failureText(ack: Ack<unknown>): string | undefined {
  if (ack.ok) return undefined;
  const { message, retryAfterSeconds } = ack.error;
  return retryAfterSeconds === undefined ? message : `${message} Try again in ${Math.max(1, Math.ceil(retryAfterSeconds))} s.`;
}

/**
 * One event; resolves with its data, or throws its sentence for the page's alert. An action the
 * hub wants a fresh proof for asks for the password, then runs once more.
 */
export async function request<E extends ClientEventName>(hub: HubConnection, event: E, payload: EventInput<E>): Promise<EventReply<E>> {
  let ack = await hub.call(event, payload);
  if (!ack.ok && (ack.error.code as string) === REAUTHENTICATION_REQUIRED) {
    if (!(await reauthenticate(hub))) throw new AccountCallError(CANCELLED, "Cancelled: nothing was changed.");
    ack = await hub.call(event, payload);
  }
  if (!ack.ok) throw new AccountCallError(ack.error.code, failureText(ack)!, ack.error.triesLeft);
  return ack.data;
}

/** The person closed the password dialog: not an error, so the page says it calmly. */
export const CANCELLED = "cancelled";

export class AccountCallError extends Error {
  override name = "AccountCallError";
  constructor(
    readonly code: string,
    message: string,
    /** For a wrong code: how many more the hub takes; at 0 what it was for is gone. */
    readonly triesLeft?: number,
  ) {
    super(message);
  }
}

/** "12 Mar 2026, 09:26", in the person's own locale and time zone. */
export function when(iso: string | null): string {
  if (!iso) return "never";
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
