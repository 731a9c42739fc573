import { failure, type adminEvents } from "#protocol";
import type { HubContext } from "../../context.ts";
import type { HandlersFor } from "./client-handlers.ts";

// Being built: each handler answers until its domain module lands.
const notYet = async () => failure("internal_error", "Not available yet.");

export function adminHandlers(_ctx: HubContext): HandlersFor<typeof adminEvents> {
  return {
    "admin:list-users": notYet,
    "admin:update-user": notYet,
    "admin:lock-user": notYet,
    "admin:unlock-user": notYet,
    "admin:delete-user": notYet,
  };
}
