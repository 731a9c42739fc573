import { EventEmitter } from "node:events";

/**
 * What domain code tells the transports, so that domain modules never import Socket.IO:
 * the socket layer listens and disconnects or notifies the right sockets.
 */
export type SessionEndReason = "logout" | "revoked" | "logout_all" | "password_changed" | "expired";

export interface HubEventMap {
  "sessions-ended": [{ userId: string; sessionIds: string[]; reason: SessionEndReason }];
  "security-notice": [{ userId: string; kind: "password_changed" | "sessions_revoked" | "new_login"; message: string }];
}

export class HubEvents extends EventEmitter<HubEventMap> {}
