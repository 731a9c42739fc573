import type { Command } from "commander";
import { askPasswordChange } from "../credentials.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { clientFailures } from "../messages.ts";
import { formatTime, printResult } from "../../terminal/output.ts";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR, EXIT_CODES } from "../../terminal/exit-codes.ts";

export function addAccountCommands(program: Command): void {
  program
    .command("whoami")
    .description("show the account and session you are logged in with")
    .action((_options, command: Command) => whoami(command));
  program
    .command("passwd")
    .description("change your password; your other sessions are ended")
    .option("--password-stdin", "read the current password, then the new one, as two lines of standard input")
    .action((_options, command: Command) => changePassword(command));
}

async function whoami(command: Command): Promise<void> {
  const options = optionsOf(command);
  const reply = await withLoggedInHub(options, async ({ connection, target }) => {
    const data = expectData(await connection.call("account:me", {}));
    return { ...data, hub: target.url };
  });
  const { user, session } = reply;
  printResult(options, reply, [
    `${user.username} <${user.email}>${user.role === "admin" ? " (admin)" : ""} at ${reply.hub}`,
    `Account created ${formatTime(user.createdAt)}; password last changed ${formatTime(user.passwordChangedAt)}.`,
    `Session ${session.id}, valid until ${formatTime(session.expiresAt)} at most.`,
  ]);
}

async function changePassword(command: Command): Promise<void> {
  const options = optionsOf<{ passwordStdin?: boolean }>(command);
  // Connected first, so that a session that has ended is reported before any password is asked for.
  const reply = await withLoggedInHub(options, async ({ connection, session }) => {
    const change = await askPasswordChange(options.passwordStdin, [session.username]);
    if (change.currentPassword === change.newPassword) throw clientFailures.badInput("The new password is the same as the current one.");
    const answer = await connection.call("password:change", change);
    if (!answer.ok && answer.error.code === "invalid_credentials") {
      throw new CliFailure("invalid_credentials", "The current password is wrong; nothing was changed.", EXIT_CODE_BY_ERROR.invalid_credentials ?? EXIT_CODES.failure);
    }
    return expectData(answer);
  });
  const ended = reply.sessionsEnded;
  const others = ended === 0 ? "No other session was open." : `${ended} other session${ended === 1 ? " was" : "s were"} ended.`;
  printResult(options, reply, `Password changed. ${others}`);
}
