import { BINDING_CODE_TTL_SECONDS, type PushPayload } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import { type ClientConnection, HubConnectionError } from "../terminal/hub-connection.ts";
import { formatWait } from "../terminal/wait-time.ts";
import { formatTime } from "../terminal/output.ts";

export type BoundDevice = PushPayload<"device:bound">["device"];

export interface IssuedBindingCode {
  code: string;
  expiresAt: string;
  /** `--timeout`: stop waiting sooner than the code's expiry. */
  timeoutSeconds?: number;
}

/**
 * Waits for the hub's `device:bound` push, which goes to the sockets of the session that asked
 * for the code, so this must run on that same, still open connection. Settles with the device,
 * or fails when the code expires, `--timeout` passes, the connection drops, or on Ctrl+C.
 * Call it before showing the code, so that no push can come before anyone listens.
 */
export function awaitDeviceBound(connection: ClientConnection, issued: IssuedBindingCode): Promise<BoundDevice> {
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      stopBound();
      stopDisconnect();
      process.off("SIGINT", interrupted);
      outcome();
    };
    const stopBound = connection.onPush("device:bound", ({ device }) => finish(() => resolve(device)));
    // The caller words this like any lost connection (or as a session that has ended).
    const stopDisconnect = connection.onDisconnect((reason) => finish(() => reject(new HubConnectionError({ kind: "disconnected", reason }))));
    const interrupted = () => finish(() => reject(stoppedWaiting(issued)));
    process.once("SIGINT", interrupted);

    const { waitMs, codeExpiresFirst } = waitingTime(issued);
    const timer = setTimeout(() => finish(() => reject(codeExpiresFirst ? codeExpired() : timedOut(issued))), waitMs);
  });
}

function waitingTime(issued: IssuedBindingCode): { waitMs: number; codeExpiresFirst: boolean } {
  // A clock behind the hub's would make the code look expired already; the hub has the last word.
  const untilExpiryMs = Date.parse(issued.expiresAt) - Date.now();
  const codeLifeMs = untilExpiryMs > 0 ? untilExpiryMs : BINDING_CODE_TTL_SECONDS * 1000;
  if (issued.timeoutSeconds === undefined || issued.timeoutSeconds * 1000 >= codeLifeMs) return { waitMs: codeLifeMs, codeExpiresFirst: true };
  return { waitMs: issued.timeoutSeconds * 1000, codeExpiresFirst: false };
}

function codeExpired(): CliFailure {
  return new CliFailure(
    "binding_code_expired",
    "The binding code expired before a device was paired with it. Run `pairgate device add` again for a new code.",
    EXIT_CODES.failure,
  );
}

// The hub has no way to withdraw a code, so the person is told that it still works.
function stillValid(issued: IssuedBindingCode): string {
  return `The code ${issued.code} still works until ${formatTime(issued.expiresAt)}: a device paired with it joins your account (see \`pairgate device list\`).`;
}

function timedOut(issued: IssuedBindingCode): CliFailure {
  const waited = formatWait(issued.timeoutSeconds);
  return new CliFailure("pairing_timeout", `No device was paired within ${waited}. ${stillValid(issued)}`, EXIT_CODES.failure);
}

function stoppedWaiting(issued: IssuedBindingCode): CliFailure {
  return new CliFailure("interrupted", `Stopped waiting. ${stillValid(issued)}`, EXIT_CODES.interrupted);
}
