import { z } from "zod";
import { ADMIN_PAGE_MAX } from "../constants.ts";
import { defineEvent } from "../event-definition.ts";
import { BOB_ID, USER_ID, adminViewOfAlice } from "../example-values.ts";
import { emailSchema, idSchema, roleSchema, timestampSchema } from "../fields.ts";

const adminUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  email: z.string(),
  role: roleSchema,
  createdAt: timestampSchema,
  emailVerified: z.boolean(),
  locked: z.boolean(),
  lockReason: z.string().nullable(),
  devices: z.int(),
});

const NO_SUCH_USER = ["user_not_found", "No user has this id."] as const;

/** Events for accounts with role `admin`; anyone else gets `forbidden`. */
export const adminEvents = {
  "admin:list-users": defineEvent({
    access: "admin",
    summary: "Users, newest first, a page at a time, optionally filtered by a part of the username or email.",
    payload: z.object({
      search: z.string().trim().max(254).optional(),
      page: z.int().min(1).optional(),
      pageSize: z.int().min(1).max(ADMIN_PAGE_MAX).optional(),
    }),
    reply: z.object({ users: z.array(adminUserSchema), total: z.int(), page: z.int(), pageSize: z.int() }),
    errors: [],
    example: { payload: { search: "ali", page: 1, pageSize: 20 }, reply: { users: [adminViewOfAlice], total: 1, page: 1, pageSize: 20 } },
  }),
  "admin:update-user": defineEvent({
    access: "admin",
    summary: "Change a user's email or role.",
    payload: z.object({ userId: idSchema, email: emailSchema.optional(), role: roleSchema.optional() }),
    reply: z.object({ user: adminUserSchema }),
    errors: [
      NO_SUCH_USER,
      ["email_taken", "Another account already uses that email address."],
      ["forbidden", "Besides a caller who is not an administrator: an administrator may not remove their own admin role."],
    ],
    example: { payload: { userId: USER_ID, email: "alice@example.net" }, reply: { user: { ...adminViewOfAlice, email: "alice@example.net" } } },
  }),
  "admin:lock-user": defineEvent({
    access: "admin",
    summary: "Lock an account: it cannot log in, and its sessions end at once.",
    payload: z.object({ userId: idSchema, reason: z.string().trim().max(200).optional() }),
    reply: z.object({ user: adminUserSchema, sessionsEnded: z.int() }),
    errors: [NO_SUCH_USER, ["forbidden", "Besides a caller who is not an administrator: an administrator may not lock their own account."]],
    example: {
      payload: { userId: USER_ID, reason: "Reported lost laptop" },
      reply: { user: { ...adminViewOfAlice, locked: true, lockReason: "Reported lost laptop" }, sessionsEnded: 2 },
    },
  }),
  "admin:unlock-user": defineEvent({
    access: "admin",
    summary: "Unlock an account, and lift its devices' code locks (a timed one, or the lock after 100 wrong codes in a row).",
    payload: z.object({ userId: idSchema }),
    reply: z.object({ user: adminUserSchema }),
    errors: [NO_SUCH_USER],
    example: { payload: { userId: USER_ID }, reply: { user: adminViewOfAlice } },
  }),
  "admin:delete-user": defineEvent({
    access: "admin",
    summary: "Delete an account with its sessions, devices and codes; its live sockets are disconnected.",
    payload: z.object({ userId: idSchema }),
    reply: z.object({ deleted: z.literal(true) }),
    errors: [NO_SUCH_USER, ["forbidden", "Besides a caller who is not an administrator: an administrator may not delete their own account."]],
    example: { payload: { userId: BOB_ID }, reply: { deleted: true } },
  }),
};
