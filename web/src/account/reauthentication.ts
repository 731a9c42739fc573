import type { Ack } from "#protocol";
import type { HubConnection } from "../hub/hub-connection.ts";

/**
 * Sensitive actions (pairing a device, new recovery codes, removing a key) may answer
 * `reauthentication_required`: the session must prove the password again
 * (`session:reauthenticate`). The page asks for it in a dialog, proves it, and retries once.
 */
export const REAUTHENTICATION_REQUIRED = "reauthentication_required";

/** Shows the password dialog; resolves with the password, or null when the person cancels. `problem` is the last attempt's error. */
export type PasswordPrompt = (problem?: string) => Promise<string | null>;

let prompt: PasswordPrompt | null = null;

/** The dialog mounted by the account pages registers itself here. */
export function setPasswordPrompt(next: PasswordPrompt | null): void {
  prompt = next;
}

/** Asks for the password until the hub accepts it; false when the person cancels (or no dialog is mounted). */
export async function reauthenticate(hub: HubConnection): Promise<boolean> {
  let problem: string | undefined;
  for (;;) {
    const password = prompt ? await prompt(problem) : null;
    if (password === null) return false;
    // The event is new to the protocol (sudo mode); the page sends it as the hub names it.
    const ack = (await hub.call("session:reauthenticate" as never, { password } as never)) as Ack<unknown>;
    if (ack.ok) return true;
    problem = ack.error.message;
  }
}
