import { addUsernameOptions, givenUsername } from "../account-name-options.ts";
import { type Command, Option } from "commander";
import { devicesInWords, type EventInput, loginNameSchema } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { homePaths } from "../../terminal/home.ts";
import type { ClientConnection } from "../../terminal/hub-connection.ts";
import { printResult } from "../../terminal/output.ts";
import { askCode, codeOption } from "../code-options.ts";
import { askNewPassword, askUsername } from "../credentials.ts";
import { expectData, withAnonymousHub } from "../hub-access.ts";
import { mailboxHint } from "../mailbox-hint.ts";
import { clientFailures } from "../messages.ts";
import { hasTerminal } from "../../terminal/hidden-input.ts";
import { promptText } from "../prompts.ts";
import { promptDeviceCode, type SecondFactor } from "../second-factor.ts";
import { forgetSession, loadSession } from "../session-file.ts";

interface ResetOptions extends SecondFactor {
  username?: string;
  login?: string;
  code?: string;
  passwordStdin?: boolean;
}

const SECOND_FACTOR_HINT = "Pass --otp CODE (its current code) or --recovery-code CODE.";

export function addPasswordRecoveryCommands(program: Command): void {
  const password = program.command("password").description("a forgotten password: get a code by email (forgot), then set a new password (reset)");
  password
    .command("forgot")
    .description("ask the hub to email a 6-digit reset code (valid 10 minutes) to the account's address")
    .option("--login <username-or-email>", "the account's username or email address (asked for when missing)")
    .option("--username <name>", "the account's username (instead of --login)")
    .option("--email <address>", "the account's email address (instead of --login)")
    .action((_options, command: Command) => forgotPassword(command));
  addUsernameOptions(password.command("reset").description("set a new password with the emailed code; every session of the account ends"))
    .addOption(new Option("--code <code>", "the 6-digit code from the email (asked for, hidden, when missing)").argParser(codeOption("emailCode")))
    .addOption(new Option("--otp <code>", "with a device (the PairGate authenticator or an authenticator app): its current code").argParser(codeOption("otp")))
    .addOption(new Option("--recovery-code <code>", "with a device you lost: one of your recovery codes").argParser(codeOption("recoveryCode")).conflicts("otp"))
    .option("--password-stdin", "read the new password from the first line of standard input")
    .action((_options, command: Command) => resetPassword(command));
}

/** `--login`, `--username` or `--email`: one account, named any one way. */
function loginNameFrom(options: { login?: string; username?: string; email?: string }): string | undefined {
  const given = [options.login, options.username, options.email].filter((value): value is string => value !== undefined);
  if (new Set(given).size > 1) throw clientFailures.badInput("Name the account once: --login, --username or --email.");
  return given[0];
}

async function forgotPassword(command: Command): Promise<void> {
  const options = optionsOf<{ login?: string; username?: string; email?: string }>(command);
  const typed = loginNameFrom(options) ?? (await promptText("Username or email:", "Pass --username or --email."));
  const parsed = loginNameSchema.safeParse(typed);
  if (!parsed.success) throw clientFailures.badInput(`"${typed}" is neither a username nor an email address.`);
  const login = parsed.data;
  const { reply, hub } = await withAnonymousHub(options, async ({ connection, target }) => ({
    reply: expectData(await connection.call("password:forgot", { login })),
    hub: target.url,
  }));
  const username = login.includes("@") ? "YOUR_USERNAME" : login;
  // The hub answers the same whether or not the account exists, so this says no more than it.
  printResult(options, { ...reply, login }, [
    `If an account matches ${login}, the hub is emailing it a 6-digit code, valid 10 minutes.`,
    ...mailboxHint(hub),
    `Then: pairgate password reset --username ${username}`,
  ]);
}

async function resetPassword(command: Command): Promise<void> {
  const options = optionsOf<ResetOptions>(command);
  const username = await askUsername(givenUsername(options));
  const code = await askCode("emailCode", options.code, "Code from the email:", "Pass --code.", true);
  const newPassword = await askNewPassword(options.passwordStdin, "New password:", [username]);
  const request = { username, code, newPassword, otp: options.otp, recoveryCode: options.recoveryCode };

  const hub = await withAnonymousHub(options, async ({ connection, target }) => {
    await callReset(connection, request);
    return target.url;
  });
  // Every session ended at the hub, this machine's too: its saved token is worth nothing now.
  const paths = homePaths();
  const saved = await loadSession(paths);
  if (saved?.hub === hub && saved.username === username) await forgetSession(paths);
  printResult(options, { reset: true, username }, [
    `Password reset for ${username}. Every session of the account has ended.`,
    `Log in with the new password: pairgate login --username ${username}`,
  ]);
}

/** With a device (the PairGate authenticator or an authenticator app), the hub asks for its code (or a recovery code) past the emailed one: asked here, then sent again. */
async function callReset(connection: ClientConnection, request: EventInput<"password:reset">): Promise<void> {
  let answer = await connection.call("password:reset", request);
  if (!answer.ok && answer.error.code === "otp_required") {
    const { noun } = devicesInWords(answer.error.deviceKinds);
    if (!hasTerminal()) throw secondFactorNeeded(noun);
    process.stderr.write(`This account has a second factor: give the current code from ${noun}, or one of your recovery codes if you lost it.\n`);
    answer = await connection.call("password:reset", { ...request, ...(await promptDeviceCode(SECOND_FACTOR_HINT)) });
  }
  if (!answer.ok && answer.error.code === "invalid_code" && answer.error.details?.[0]?.path === "code") throw wrongResetCode(request.username);
  expectData(answer);
}

function secondFactorNeeded(noun: string): CliFailure {
  const sentence = `This account has a second factor, so a reset also needs the current code from ${noun}. ${SECOND_FACTOR_HINT}`;
  return new CliFailure("otp_required", sentence, EXIT_CODE_BY_ERROR.otp_required);
}

function wrongResetCode(username: string): CliFailure {
  const sentence =
    "The code from the email is wrong, already used or expired (each code works once, for 10 minutes). " +
    `Ask for a new one with \`pairgate password forgot --login ${username}\`.`;
  return new CliFailure("invalid_code", sentence, EXIT_CODE_BY_ERROR.invalid_code);
}
