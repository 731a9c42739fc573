import { namespaceEvents, type InputOf, type PayloadOf, type ReplyOf } from "../event-definition.ts";
import { accountEvents } from "./accounts.ts";
import { adminEvents } from "./admin.ts";
import { authEvents } from "./auth.ts";
import { deviceManagementEvents } from "./devices.ts";
import { credentialEvents } from "./keys.ts";
import { messageEvents } from "./messages.ts";
import { passwordEvents } from "./passwords.ts";
import { sessionEvents } from "./sessions.ts";

/** Every client-to-hub event on `/client`, the table the hub, the clients and the docs share. */
export const clientEvents = namespaceEvents("/client", {
  ...accountEvents,
  ...authEvents,
  ...passwordEvents,
  ...sessionEvents,
  ...deviceManagementEvents,
  ...credentialEvents,
  ...messageEvents,
  ...adminEvents,
});

export type ClientEventName = keyof typeof clientEvents;
export type EventPayload<E extends ClientEventName> = PayloadOf<typeof clientEvents, E>;
export type EventInput<E extends ClientEventName> = InputOf<typeof clientEvents, E>;
export type EventReply<E extends ClientEventName> = ReplyOf<typeof clientEvents, E>;
