import type { adminEvents } from "#protocol";
import { deleteUser } from "../../admin/account-deletion.ts";
import { lockUser, unlockUser } from "../../admin/account-locks.ts";
import { listUsers, updateUser } from "../../admin/admin-users.ts";
import type { HubContext } from "../../context.ts";
import type { HandlersFor } from "./client-handlers.ts";

/** Role `admin` only: the router answers `forbidden` to anyone else before these run. */
export function adminHandlers(ctx: HubContext): HandlersFor<typeof adminEvents> {
  return {
    "admin:list-users": (payload, { session, origin }) => listUsers(ctx, session, payload, origin),
    "admin:update-user": (payload, { session, origin }) => updateUser(ctx, session, payload, origin),
    "admin:lock-user": (payload, { session, origin }) => lockUser(ctx, session, payload, origin),
    "admin:unlock-user": (payload, { session, origin }) => unlockUser(ctx, session, payload, origin),
    "admin:delete-user": (payload, { session, origin }) => deleteUser(ctx, session, payload, origin),
  };
}
