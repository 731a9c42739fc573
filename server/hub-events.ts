import { EventEmitter } from "node:events";
import type { DevicePushPayload, PushPayload } from "#protocol";

/**
 * What domain code tells the transports, so that domain modules never import Socket.IO:
 * the socket layer listens and disconnects or notifies the right sockets.
 */
export type SessionEndReason = PushPayload<"session:revoked">["reason"];

export type NoticeKind = PushPayload<"security:notice">["kind"];
export type ChallengeOutcome = DevicePushPayload<"challenge:closed">["outcome"];

export interface HubEventMap {
  "sessions-ended": [{ userId: string; sessionIds: string[]; reason: SessionEndReason }];
  "security-notice": [{ userId: string; kind: NoticeKind; message: string }];
  "device-bound": [{ userId: string; sessionId: string | null; device: { id: string; name: string } }];
  "device-revoked": [{ userId: string; deviceId: string }];
  "challenge-opened": [{ userId: string; challenge: DevicePushPayload<"challenge:new"> }];
  /** The person decided on a device; the client that logs in is told, and every device. */
  "challenge-decided": [{ userId: string; challengeId: string; outcome: "approved" | "denied"; reason?: PushPayload<"challenge:denied">["reason"] }];
  /** A login was denied as "this wasn't me": every signed-in client of the account is told. */
  "login-reported": [{ userId: string; report: PushPayload<"login:not-me"> }];
  "challenge-closed": [{ userId: string; challengeId: string; outcome: ChallengeOutcome }];
  /** An admin changed the role: sockets already open act with the new one at once. */
  "user-role-changed": [{ userId: string; role: "user" | "admin" }];
  /** An admin deleted the account: every client and device socket of it is closed. */
  "user-deleted": [{ userId: string }];
  /** A message for every client of the recipient that listens for messages. */
  "message-sent": [{ toUserId: string; message: PushPayload<"message:new"> }];
}

export class HubEvents extends EventEmitter<HubEventMap> {}
