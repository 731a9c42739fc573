import { failure, success, type Ack, type EventPayload, type EventReply, type Failure } from "#protocol";
import { recordAudit } from "../audit/audit-log.ts";
import type { HubContext, Origin } from "../context.ts";
import type { ActiveSession } from "../sessions/sessions.ts";

/** What `admin:list-users` answers with when the caller names no page size. */
export const ADMIN_PAGE_SIZE_DEFAULT = 20;

/** The columns an administrator sees; never the password hash. */
export const adminUserSelect = {
  id: true,
  username: true,
  email: true,
  role: true,
  createdAt: true,
  emailVerifiedAt: true,
  lockedAt: true,
  lockReason: true,
  _count: { select: { devices: true } },
} as const;

export interface AdminUserRow {
  id: string;
  username: string;
  email: string;
  role: string;
  createdAt: Date;
  emailVerifiedAt: Date | null;
  lockedAt: Date | null;
  lockReason: string | null;
  _count: { devices: number };
}

export type AdminUser = EventReply<"admin:update-user">["user"];

export function describeAdminUser(row: AdminUserRow): AdminUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    role: row.role === "admin" ? "admin" : "user",
    createdAt: row.createdAt.toISOString(),
    emailVerified: row.emailVerifiedAt !== null,
    locked: row.lockedAt !== null,
    lockReason: row.lockReason,
    devices: row._count.devices,
  };
}

export async function findAdminUser(ctx: HubContext, userId: string): Promise<AdminUserRow | null> {
  return ctx.db.user.findUnique({ where: { id: userId }, select: adminUserSelect });
}

export const userNotFound = (): Failure => failure("user_not_found", "No user has this id.");

const NEWEST_FIRST = [{ createdAt: "desc" as const }, { id: "desc" as const }];

/** Newest first; `search` matches a part of the username or the email (both are stored lower-case). */
export async function listUsers(
  ctx: HubContext,
  actor: ActiveSession,
  input: EventPayload<"admin:list-users">,
  origin: Origin,
): Promise<Ack<EventReply<"admin:list-users">>> {
  const page = input.page ?? 1;
  const pageSize = input.pageSize ?? ADMIN_PAGE_SIZE_DEFAULT;
  const skip = (page - 1) * pageSize;
  const search = input.search?.toLowerCase() || undefined;
  let total: number;
  let rows: AdminUserRow[];
  if (search) {
    const ids = await findUserIdsContaining(ctx, search);
    total = ids.length;
    rows = await ctx.db.user.findMany({ where: { id: { in: ids.slice(skip, skip + pageSize) } }, orderBy: NEWEST_FIRST, select: adminUserSelect });
  } else {
    [total, rows] = await ctx.db.$transaction([ctx.db.user.count(), ctx.db.user.findMany({ orderBy: NEWEST_FIRST, skip, take: pageSize, select: adminUserSelect })]);
  }
  await recordAudit(ctx.db, { userId: actor.userId, action: "admin.users_listed", origin, details: { search: search ?? null, page, pageSize } });
  return success({ users: rows.map(describeAdminUser), total, page, pageSize });
}

/**
 * Prisma's `contains` is SQL LIKE with `%` and `_` left as wildcards, so it
 * only narrows: the exact substring test decides. Ids come back newest first.
 */
async function findUserIdsContaining(ctx: HubContext, search: string): Promise<string[]> {
  const candidates = await ctx.db.user.findMany({
    where: { OR: [{ username: { contains: search } }, { email: { contains: search } }] },
    orderBy: NEWEST_FIRST,
    select: { id: true, username: true, email: true },
  });
  return candidates.filter((user) => user.username.includes(search) || user.email.includes(search)).map((user) => user.id);
}

/**
 * Changes the email or the role. An address set by an administrator counts as verified: the
 * administrator vouches for it. Nobody removes their own admin role, so the hub keeps an admin.
 */
export async function updateUser(
  ctx: HubContext,
  actor: ActiveSession,
  input: EventPayload<"admin:update-user">,
  origin: Origin,
): Promise<Ack<EventReply<"admin:update-user">>> {
  const target = await findAdminUser(ctx, input.userId);
  if (!target) return userNotFound();
  const newRole = input.role !== undefined && input.role !== target.role ? input.role : undefined;
  const newEmail = input.email !== undefined && input.email !== target.email ? input.email : undefined;
  if (newRole === "user" && target.id === actor.userId) {
    return failure("forbidden", "You cannot remove your own admin role; another administrator can.");
  }
  if (newRole === undefined && newEmail === undefined) return success({ user: describeAdminUser(target) });
  if (newEmail !== undefined && (await isEmailTaken(ctx, newEmail, target.id))) return emailTaken();

  let updated: AdminUserRow;
  try {
    updated = await ctx.db.user.update({
      where: { id: target.id },
      data: { ...(newRole ? { role: newRole } : {}), ...(newEmail ? { email: newEmail, emailVerifiedAt: ctx.clock.now() } : {}) },
      select: adminUserSelect,
    });
  } catch (error) {
    // Another change took the address between the check and the update: the unique index decided.
    if (isUniqueViolation(error)) return emailTaken();
    throw error;
  }
  const changes = { emailChanged: newEmail !== undefined, role: newRole ?? null };
  await recordAudit(ctx.db, { userId: actor.userId, action: "admin.user_updated", origin, details: { targetUserId: target.id, targetUsername: target.username, ...changes } });
  await recordAudit(ctx.db, { userId: target.id, action: "account.updated_by_admin", origin, details: { by: actor.username, ...changes } });
  if (newRole) ctx.events.emit("user-role-changed", { userId: target.id, role: newRole });
  return success({ user: describeAdminUser(updated) });
}

async function isEmailTaken(ctx: HubContext, email: string, exceptUserId: string): Promise<boolean> {
  return (await ctx.db.user.count({ where: { email, id: { not: exceptUserId } } })) > 0;
}

const emailTaken = (): Failure => failure("email_taken", "Another account already uses that email address.");

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
