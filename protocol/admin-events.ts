import { z } from "zod";
import { ADMIN_PAGE_MAX } from "./constants.ts";
import type { EventDefinition } from "./event-definition.ts";
import { emailSchema, idSchema, roleSchema, timestampSchema } from "./fields.ts";

export const adminUserSchema = z.object({
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

/** Events for accounts with role `admin`; anyone else gets `forbidden`. */
export const adminEvents = {
  "admin:list-users": {
    namespace: "/client",
    access: "admin",
    summary: "Users, newest first, a page at a time, optionally filtered by a part of the username or email.",
    payload: z.object({
      search: z.string().trim().max(254).optional(),
      page: z.int().min(1).optional(),
      pageSize: z.int().min(1).max(ADMIN_PAGE_MAX).optional(),
    }),
    reply: z.object({ users: z.array(adminUserSchema), total: z.int(), page: z.int(), pageSize: z.int() }),
  },
  "admin:update-user": {
    namespace: "/client",
    access: "admin",
    summary: "Change a user's email or role.",
    payload: z.object({ userId: idSchema, email: emailSchema.optional(), role: roleSchema.optional() }),
    reply: z.object({ user: adminUserSchema }),
  },
  "admin:lock-user": {
    namespace: "/client",
    access: "admin",
    summary: "Lock an account: it cannot log in, and its sessions end at once.",
    payload: z.object({ userId: idSchema, reason: z.string().trim().max(200).optional() }),
    reply: z.object({ user: adminUserSchema, sessionsEnded: z.int() }),
  },
  "admin:unlock-user": {
    namespace: "/client",
    access: "admin",
    summary: "Unlock an account.",
    payload: z.object({ userId: idSchema }),
    reply: z.object({ user: adminUserSchema }),
  },
  "admin:delete-user": {
    namespace: "/client",
    access: "admin",
    summary: "Delete an account with its sessions, devices and codes; its live sockets are disconnected.",
    payload: z.object({ userId: idSchema }),
    reply: z.object({ deleted: z.literal(true) }),
  },
} as const satisfies Record<string, EventDefinition>;
