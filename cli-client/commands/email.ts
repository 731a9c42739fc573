import { addUsernameOptions, givenUsername } from "../account-name-options.ts";
import { type Command, Option } from "commander";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { printResult } from "../../terminal/output.ts";
import { askCode, codeOption } from "../code-options.ts";
import { askEmail, askUsername } from "../credentials.ts";
import { callWithFreshProof, PASSWORD_STDIN_HELP, type FreshProofOptions } from "../fresh-proof.ts";
import { expectData, withAnonymousHub, withLoggedInHub } from "../hub-access.ts";
import { mailboxHint } from "../mailbox-hint.ts";

interface VerifyOptions {
  username?: string;
  login?: string;
  code?: string;
}

export function addEmailCommands(program: Command): void {
  addUsernameOptions(
    program.command("verify-email").description("confirm your account's email address with the 6-digit code the hub emailed at registration"),
  )
    .addOption(new Option("--code <code>", "the 6-digit code from the email (asked for when missing)").argParser(codeOption("emailCode")))
    .action((_options, command: Command) => verifyEmail(command));
  addUsernameOptions(
    program.command("resend-verification").description("ask the hub to email a new verification code (3 a minute); earlier codes stop working"),
  ).action((_options, command: Command) => resendVerification(command));
  program
    .command("change-email")
    .description("change your account's email address (needs your password again unless you logged in within 5 minutes); confirm the new one with the code sent to it")
    .option("--email <address>", "the new address (asked for when missing)")
    .option("--password-stdin", PASSWORD_STDIN_HELP)
    .action((_options, command: Command) => changeEmail(command));
}

async function changeEmail(command: Command): Promise<void> {
  const options = optionsOf<{ email?: string } & FreshProofOptions>(command);
  const email = await askEmail(options.email);
  const { reply, hub } = await withLoggedInHub(options, async ({ connection, target }) => ({
    reply: expectData(await callWithFreshProof(connection, options, "account:change-email", { email })),
    hub: target.url,
  }));
  const { username } = reply.user;
  printResult(options, reply, [
    `The email address of ${username} is now ${reply.user.email}; the old address was told.`,
    `A code to confirm it was sent there.${reply.emailVerificationRequired ? " Until you confirm it, logins are refused." : ""}`,
    ...mailboxHint(hub),
    `Then: pairgate verify-email --username ${username}`,
  ]);
}

async function verifyEmail(command: Command): Promise<void> {
  const options = optionsOf<VerifyOptions>(command);
  const username = await askUsername(givenUsername(options));
  const code = await askCode("emailCode", options.code, "Code from the email:", "Pass --code.");
  const reply = await withAnonymousHub(options, async ({ connection }) => {
    const answer = await connection.call("account:verify-email", { username, code });
    if (!answer.ok && answer.error.code === "invalid_code") throw wrongVerificationCode(username, answer.error.details);
    return expectData(answer);
  });
  printResult(options, { ...reply, username }, [`Email address confirmed for ${username}.`, `Next: pairgate login --username ${username}`]);
}

async function resendVerification(command: Command): Promise<void> {
  const options = optionsOf<{ username?: string; login?: string }>(command);
  const username = await askUsername(givenUsername(options));
  const { reply, hub } = await withAnonymousHub(options, async ({ connection, target }) => ({
    reply: expectData(await connection.call("account:resend-verification", { username })),
    hub: target.url,
  }));
  // The hub answers the same whether or not there was anything to send, so this says no more than it.
  printResult(options, { ...reply, username }, [
    `If ${username} has an email address still to confirm, the hub is emailing it a new code; earlier codes no longer work.`,
    ...mailboxHint(hub),
    `Then: pairgate verify-email --username ${username}`,
  ]);
}

function wrongVerificationCode(username: string, details: unknown): CliFailure {
  const sentence =
    "The code is wrong, already used or expired (each code works once, and a few wrong tries end it). " +
    `Use the code from the latest email, or get a new one with \`pairgate resend-verification --username ${username}\`.`;
  return new CliFailure("invalid_code", sentence, EXIT_CODE_BY_ERROR.invalid_code, details ? { details } : {});
}
