import type { Ack, ClientEventName, EventInput, EventReply } from "#protocol";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { expectData } from "./hub-access.ts";
import { promptSecret, readStdinLines } from "../terminal/hidden-input.ts";

/** How a command that may meet sudo mode gets the password: a hidden prompt, or `--password-stdin`. */
export interface FreshProofOptions {
  passwordStdin?: boolean;
}

export const PASSWORD_STDIN_HELP = "read the password from the first line of standard input, should the hub ask for it again (sudo mode)";
const STDIN_HINT = "The hub asks for your password again for this (your last proof is over 5 minutes old): pass it on standard input with --password-stdin.";

/**
 * Sends a sensitive event. When the hub answers that the session's last proof is too old
 * (`reauthentication_required`), the password is asked once, proven with `session:reauthenticate`
 * on the same connection, and the event sent again; a wrong password is the command's failure.
 * Right after a login the hub needs no proof, so nothing is asked.
 */
export async function callWithFreshProof<E extends ClientEventName>(
  connection: ClientConnection,
  options: FreshProofOptions,
  event: E,
  payload: EventInput<E>,
): Promise<Ack<EventReply<E>>> {
  const first = await connection.call(event, payload);
  if (first.ok || first.error.code !== "reauthentication_required") return first;
  const password = options.passwordStdin ? ((await readStdinLines(1))[0] ?? "") : await promptSecret("Your password (needed again for this):", STDIN_HINT);
  expectData(await connection.call("session:reauthenticate", { password }));
  return connection.call(event, payload);
}
