import type { Command } from "commander";
import { askEmail, askNewPassword, askUsername } from "../credentials.ts";
import { expectData, withAnonymousHub } from "../hub-access.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { fileExists, homePaths } from "../../terminal/home.ts";
import { loadPublicKeyPem, publicKeyFingerprint } from "../keys.ts";
import { mailboxHint } from "../mailbox-hint.ts";
import { clientFailures } from "../messages.ts";
import { printResult } from "../../terminal/output.ts";

interface RegisterOptions {
  username?: string;
  email?: string;
  passwordStdin?: boolean;
}

export function addRegisterCommand(program: Command): void {
  program
    .command("register")
    .description("create an account on the hub with a password and this machine's public key")
    .option("--username <name>", "the account name (asked for when missing)")
    .option("--email <address>", "the account's email address (asked for when missing)")
    .option("--password-stdin", "read the password from the first line of standard input")
    .action((_options, command: Command) => register(command));
}

async function register(command: Command): Promise<void> {
  const options = optionsOf<RegisterOptions>(command);
  const paths = homePaths();
  const publicKey = await loadPublicKeyPem(paths);
  if (publicKey === undefined || !(await fileExists(paths.privateKey))) throw clientFailures.noKey(paths.home);

  const username = await askUsername(options.username);
  const email = await askEmail(options.email);
  const password = await askNewPassword(options.passwordStdin, "Password:", [username, email]);

  const reply = await withAnonymousHub(options, async ({ connection, target }) => {
    const data = expectData(await connection.call("account:register", { username, email, password, publicKey }));
    return { ...data, hub: target.url };
  });

  const lines = [
    `Registered ${reply.user.username} <${reply.user.email}> at ${reply.hub}.`,
    `This machine's key (SHA-256 ${publicKeyFingerprint(publicKey)}) is the account's login key.`,
  ];
  if (reply.emailVerificationRequired) {
    lines.push(`The hub emailed a 6-digit code to ${reply.user.email}: the account needs it before the first login.`);
    lines.push(...mailboxHint(reply.hub, reply.user.email));
    lines.push(`Next: pairgate verify-email --username ${reply.user.username}`);
  } else {
    lines.push(`Next: pairgate login --username ${reply.user.username}`);
  }
  printResult(options, reply, lines);
}
