import { type Command, InvalidArgumentError, Option } from "commander";
import { ADMIN_PAGE_MAX, type ClientEventName, emailSchema, type EventInput, type EventReply } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import type { ClientConnection } from "../../terminal/hub-connection.ts";
import { printResult } from "../../terminal/output.ts";
import { describeUser, forbiddenFailure, userNotFound, userPageLines } from "../admin-users.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { clientFailures } from "../messages.ts";
import { hasTerminal } from "../../terminal/hidden-input.ts";
import { promptConfirm } from "../prompts.ts";

interface UsersOptions {
  search?: string;
  page: number;
  pageSize?: number;
}

const CONFIRM_HINT = "Pass --yes to delete the account without asking.";

export function addAdminCommands(program: Command): void {
  const admin = program.command("admin").description("for administrators: list, update, lock, unlock and delete user accounts");
  admin
    .command("users")
    .description("list users, newest first, a page at a time")
    .option("--search <text>", "only users whose username or email contains this text")
    .option("--page <n>", "which page", wholeNumber(1, Number.MAX_SAFE_INTEGER), 1)
    .option("--page-size <n>", `users per page (1 to ${ADMIN_PAGE_MAX}; the hub's default otherwise)`, wholeNumber(1, ADMIN_PAGE_MAX))
    .action((_options, command: Command) => listUsers(command));
  admin
    .command("update")
    .description("change a user's email address or role")
    .argument("<user>", USER_ARGUMENT)
    .option("--email <address>", "the new email address (counts as confirmed)", parseEmail)
    .addOption(new Option("--role <role>", "the new role").choices(["user", "admin"]))
    .action((userId: string, _options, command: Command) => updateUser(userId, command));
  admin
    .command("lock")
    .description("lock an account: it cannot log in, and its sessions end at once")
    .argument("<user>", USER_ARGUMENT)
    .option("--reason <text>", "why, shown to administrators")
    .action((userId: string, _options, command: Command) => lockUser(userId, command));
  admin
    .command("unlock")
    .description("unlock an account")
    .argument("<user>", USER_ARGUMENT)
    .action((userId: string, _options, command: Command) => unlockUser(userId, command));
  admin
    .command("delete")
    .description("delete an account with its sessions, devices and codes; this cannot be undone")
    .argument("<user>", USER_ARGUMENT)
    .option("--yes", "do not ask for confirmation (needed without a terminal)")
    .action((userId: string, _options, command: Command) => deleteUser(userId, command));
}

async function listUsers(command: Command): Promise<void> {
  const options = optionsOf<UsersOptions>(command);
  const query = { search: options.search, page: options.page, pageSize: options.pageSize };
  const page = await withLoggedInHub(options, ({ connection }) => adminCall(connection, "admin:list-users", query));
  printResult(options, page, userPageLines(page, options));
}

async function updateUser(given: string, command: Command): Promise<void> {
  const options = optionsOf<{ email?: string; role?: "user" | "admin" }>(command);
  if (options.email === undefined && options.role === undefined) throw clientFailures.badInput("Say what to change: --email ADDRESS, --role user|admin, or both.");
  const selfRefusal = "You cannot remove your own admin role; another administrator can.";
  const { user } = await withLoggedInHub(options, async ({ connection }) => {
    const payload = { userId: await userIdOf(connection, given), email: options.email, role: options.role };
    return adminCall(connection, "admin:update-user", payload, selfRefusal);
  });
  printResult(options, { user }, `Updated: ${describeUser(user)}`);
}

async function lockUser(given: string, command: Command): Promise<void> {
  const options = optionsOf<{ reason?: string }>(command);
  const selfRefusal = "You cannot lock your own account; another administrator can.";
  const reply = await withLoggedInHub(options, async ({ connection }) =>
    adminCall(connection, "admin:lock-user", { userId: await userIdOf(connection, given), reason: options.reason }, selfRefusal),
  );
  const ended = reply.sessionsEnded;
  printResult(options, reply, `Locked: ${describeUser(reply.user)} ${ended} session${ended === 1 ? "" : "s"} ended.`);
}

async function unlockUser(given: string, command: Command): Promise<void> {
  const options = optionsOf(command);
  const { user } = await withLoggedInHub(options, async ({ connection }) => adminCall(connection, "admin:unlock-user", { userId: await userIdOf(connection, given) }));
  printResult(options, { user }, `Unlocked: ${describeUser(user)}`);
}

async function deleteUser(given: string, command: Command): Promise<void> {
  const options = optionsOf<{ yes?: boolean }>(command);
  if (!options.yes && !hasTerminal()) throw clientFailures.needsTerminal("confirmation", CONFIRM_HINT);
  const selfRefusal = "You cannot delete your own account; another administrator can.";
  let userId = given;
  const user = await withLoggedInHub(options, async ({ connection }) => {
    userId = await userIdOf(connection, given);
    // An update that changes nothing is how the protocol reads one user: the hub answers with it as it is.
    const { user } = await adminCall(connection, "admin:update-user", { userId }, selfRefusal);
    const question = `Delete ${user.username} <${user.email}> and all its data? This cannot be undone.`;
    if (!options.yes && !(await promptConfirm(question, CONFIRM_HINT))) {
      throw new CliFailure("cancelled", `Nothing was changed: ${user.username} is kept.`, EXIT_CODES.failure);
    }
    await adminCall(connection, "admin:delete-user", { userId }, selfRefusal);
    return user;
  });
  printResult(options, { deleted: true, userId, username: user.username }, `Deleted ${user.username} (id ${userId}), with its sessions, devices and codes.`);
}

const USER_ARGUMENT = "the user's username, email address or id (as `pairgate admin users` shows them)";
const USER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The id of the user named on the command line. An id is taken as it is; a username or an email
 * address is looked up with admin:list-users, and must match one user exactly.
 */
async function userIdOf(connection: ClientConnection, given: string): Promise<string> {
  if (USER_ID.test(given)) return given;
  const wanted = given.trim().toLowerCase();
  // The search matches parts of names ("bob" finds "bobby" too), so every page is read.
  for (let page = 1; ; page += 1) {
    const reply = await adminCall(connection, "admin:list-users", { search: wanted, page, pageSize: ADMIN_PAGE_MAX });
    const exact = reply.users.find((user) => user.username === wanted || user.email.toLowerCase() === wanted);
    if (exact) return exact.id;
    if (page * reply.pageSize >= reply.total) throw userNotFound(given);
  }
}

/** An admin event whose refusals are worded for this command. */
async function adminCall<E extends ClientEventName>(connection: ClientConnection, event: E, payload: EventInput<E>, selfRefusal?: string): Promise<EventReply<E>> {
  const answer = await connection.call(event, payload);
  if (answer.ok) return answer.data;
  if (answer.error.code === "user_not_found" && "userId" in payload) throw userNotFound(String(payload.userId));
  if (answer.error.code !== "forbidden") return expectData(answer);
  const me = await connection.call("account:me", {});
  throw forbiddenFailure(me.ok && me.data.user.role === "admin", selfRefusal);
}

function wholeNumber(min: number, max: number): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) throw new InvalidArgumentError(`Use a whole number from ${min} to ${max}.`);
    return value;
  };
}

function parseEmail(raw: string): string {
  const parsed = emailSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError("Not a valid email address.");
  return parsed.data;
}
