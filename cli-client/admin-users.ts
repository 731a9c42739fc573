import type { EventReply } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import { formatTable, formatTime } from "../terminal/output.ts";

export type AdminUser = EventReply<"admin:update-user">["user"];
type UserPage = EventReply<"admin:list-users">;

export const NOT_ADMIN_SENTENCE =
  "This needs an administrator account, and yours is not one. The hub's operator makes the first administrator with `npm run hub -- admin create USERNAME`.";

/** One word for the account's state: what stops it logging in first. */
export function userStatus(user: AdminUser): string {
  if (user.locked) return user.lockReason ? `locked (${user.lockReason})` : "locked";
  return user.emailVerified ? "active" : "email unconfirmed";
}

export function userTable(users: AdminUser[]): string[] {
  const rows = users.map((user) => [user.username, user.id, user.email, user.role, String(user.devices), formatTime(user.createdAt), userStatus(user)]);
  return formatTable(["USERNAME", "ID", "EMAIL", "ROLE", "DEVICES", "CREATED", "STATUS"], rows);
}

/** The table, then where this page sits and the command for the next one (with the same search and page size). */
export function userPageLines(page: UserPage, query: { search?: string; pageSize?: number }): string[] {
  const { search, pageSize } = query;
  const filter = search ? ` matching "${search}"` : "";
  if (page.users.length === 0) return [page.total === 0 ? `No users${filter}.` : `Page ${page.page} is past the last page (${page.total} users${filter}).`];
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const lines = [...userTable(page.users), "", `Page ${page.page} of ${pages}: ${page.total} user${page.total === 1 ? "" : "s"}${filter}.`];
  const same = `${search ? ` --search ${JSON.stringify(search)}` : ""}${pageSize ? ` --page-size ${pageSize}` : ""}`;
  if (page.page < pages) lines.push(`Next page: pairgate admin users${same} --page ${page.page + 1}`);
  return lines;
}

/** One line about one user, after a change. */
export function describeUser(user: AdminUser): string {
  const devices = `${user.devices} device${user.devices === 1 ? "" : "s"}`;
  return `${user.username} <${user.email}> (id ${user.id}): ${user.role}, ${userStatus(user)}, ${devices}.`;
}

/**
 * The hub answers `forbidden` both to non-administrators and to an administrator acting on
 * their own account; which one it was decides the sentence.
 */
export function forbiddenFailure(callerIsAdmin: boolean, selfRefusal?: string): CliFailure {
  const sentence = callerIsAdmin ? (selfRefusal ?? "The hub refused this to your administrator account.") : NOT_ADMIN_SENTENCE;
  return new CliFailure("forbidden", sentence, EXIT_CODES.failure);
}

export function userNotFound(given: string): CliFailure {
  return new CliFailure("user_not_found", `No user is called ${given} (by username, email address or id). Find them with \`pairgate admin users --search TEXT\`.`, EXIT_CODES.failure);
}
