import type { ExtendedError, Socket } from "socket.io";
import type { ConnectErrorCode } from "#protocol";
import { addressKey } from "../../addresses.ts";
import type { Logger } from "../../logger.ts";

/**
 * A socket without credentials costs the hub a TLS session and memory for as long as it stays,
 * and the attacker next to nothing. Such a socket must use the connection soon, and one address
 * may hold only a few at once.
 */
// Both clients connect right before their first event (the password is typed before the
// terminal client connects; the binding code before the authenticator does).
export const ANONYMOUS_FIRST_EVENT_SECONDS = 10;
// A household or an office behind one address, logging in and pairing at once, stays well below.
export const ANONYMOUS_SOCKETS_PER_ADDRESS = 20;

type AnySocket = Socket<never, never, never, object>;

function refusal(code: ConnectErrorCode, message: string): ExtendedError {
  const error: ExtendedError = new Error(message);
  error.data = { code };
  return error;
}

/**
 * One namespace's anonymous sockets, per address key (an IPv6 /64 counts as one address), in
 * this hub process. A socket counts while `isAnonymous` says so: one that logged in (`/client`,
 * `auth:complete`) stops counting without leaving the set, so no handler has to tell this module.
 */
export class AnonymousSockets {
  private readonly byAddress = new Map<string, Set<AnySocket>>();

  constructor(
    private readonly isAnonymous: (socket: AnySocket) => boolean,
    private readonly log: Logger,
  ) {}

  /** Runs after the namespace's handshake: refuses the address's socket past the cap, and starts the first-event deadline. */
  middleware() {
    return (socket: AnySocket, next: (error?: ExtendedError) => void) => {
      if (!this.isAnonymous(socket)) return next();
      const key = addressKey(socket.handshake.address);
      const held = this.byAddress.get(key) ?? new Set<AnySocket>();
      if ([...held].filter(this.isAnonymous).length >= ANONYMOUS_SOCKETS_PER_ADDRESS) {
        return next(refusal("too_many_connections", `This address already holds ${ANONYMOUS_SOCKETS_PER_ADDRESS} connections that have not logged in; close some, or log in on one.`));
      }
      held.add(socket);
      this.byAddress.set(key, held);
      socket.once("disconnect", () => this.forget(key, socket));
      this.closeUnlessUsed(socket);
      next();
    };
  }

  private closeUnlessUsed(socket: AnySocket): void {
    const deadline = setTimeout(() => {
      this.log.debug({ socketId: socket.id }, "anonymous socket sent no event in time: closing it");
      socket.disconnect(true);
    }, ANONYMOUS_FIRST_EVENT_SECONDS * 1000);
    deadline.unref();
    const used = () => {
      clearTimeout(deadline);
      socket.offAny(used);
    };
    socket.onAny(used);
    socket.once("disconnect", () => clearTimeout(deadline));
  }

  private forget(key: string, socket: AnySocket): void {
    const held = this.byAddress.get(key);
    if (!held) return;
    held.delete(socket);
    if (held.size === 0) this.byAddress.delete(key);
  }
}
