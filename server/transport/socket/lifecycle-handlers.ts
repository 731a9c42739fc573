import { failure, type lifecycleEvents } from "#protocol";
import type { HubContext } from "../../context.ts";
import type { HandlersFor } from "./client-handlers.ts";

// Being built: each handler answers until its domain module lands.
const notYet = async () => failure("internal_error", "Not available yet.");

export function lifecycleHandlers(_ctx: HubContext): HandlersFor<typeof lifecycleEvents> {
  return {
    "account:verify-email": notYet,
    "account:resend-verification": notYet,
    "password:forgot": notYet,
    "password:reset": notYet,
    "recovery:generate": notYet,
    "key:list": notYet,
    "key:remove": notYet,
    "message:send": notYet,
  };
}
