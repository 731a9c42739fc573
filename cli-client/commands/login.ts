import { addUsernameOptions, givenUsername } from "../account-name-options.ts";
import { hostname } from "node:os";
import { type Command, Option } from "commander";
import { CLIENT_NAME_MAX_LENGTH } from "#protocol";
import { asCliFailure, CliFailure } from "../../terminal/cli-failure.ts";
import { codeOption } from "../code-options.ts";
import { askPassword, askUsername, openSigningKey, requirePrivateKeyPem } from "../credentials.ts";
import { type GlobalOptions, optionsOf } from "../../terminal/global-options.ts";
import { endSessionAtHub, expectData, withAnonymousHub, withLoggedInHub } from "../hub-access.ts";
import type { HubTarget } from "../../terminal/hub-settings.ts";
import { homePaths } from "../../terminal/home.ts";
import { logInOnHub } from "../login-flow.ts";
import { formatTime, printNotice, printResult } from "../../terminal/output.ts";
import { forgetSession, loadSession, saveSession, type StoredSession } from "../session-file.ts";

interface LoginOptions {
  username?: string;
  login?: string;
  passwordStdin?: boolean;
  name?: string;
  otp?: string;
  recoveryCode?: string;
  emailCode?: string;
}

export function addLoginCommands(program: Command): void {
  addUsernameOptions(
    program
      .command("login")
      .description("log in with your password, this machine's key and, with a device, its code or (the PairGate authenticator) its approval (a new machine's key is added with a second proof)"),
  )
    .option("--password-stdin", "read the password from the first line of standard input")
    .option("--name <client-name>", "how this session is listed in `pairgate sessions`", defaultClientName())
    .addOption(new Option("--otp <code>", "the current code of your device or authenticator app (otherwise approve the login on the PairGate authenticator)").argParser(codeOption("otp")))
    .addOption(
      new Option("--recovery-code <code>", "one of your recovery codes, instead of the device (a lost device); each works once")
        .argParser(codeOption("recoveryCode"))
        .conflicts("otp"),
    )
    .addOption(new Option("--email-code <code>", "on a machine new to the account with no device: the code the hub emailed to add its key").argParser(codeOption("emailCode")))
    .action((_options, command: Command) => login(command));
  program
    .command("logout")
    .description("end this session at the hub and forget it here")
    .option("--all", "end every session of the account, on every machine")
    .action((_options, command: Command) => logout(command));
}

async function login(command: Command): Promise<void> {
  const options = optionsOf<LoginOptions>(command);
  const paths = homePaths();
  const keyPem = await requirePrivateKeyPem(paths);
  const username = await askUsername(givenUsername(options));
  const password = await askPassword(options.passwordStdin);
  const privateKey = await openSigningKey(keyPem);

  const previous = await loadSession(paths);
  const { session, user, target } = await withAnonymousHub(options, async ({ connection, target }) => {
    // The client name is sent with the password so that a paired device can show who is asking.
    const given = { otp: options.otp, recoveryCode: options.recoveryCode, emailCode: options.emailCode };
    const { token, expiresAt, user } = await logInOnHub(connection, { username, password, clientName: options.name, privateKey, given });
    // The socket is now authenticated; asking it is the only way to learn this session's id.
    const me = await connection.call("account:me", {});
    const sessionId = me.ok ? me.data.session.id : undefined;
    const session: StoredSession = { hub: target.url, username: user.username, token, expiresAt, sessionId };
    return { session, user, target };
  });

  // Only after the new login worked, so that a failed one leaves the saved session usable.
  const replaced = previous?.hub === session.hub ? await endReplacedSession(options, target, previous) : undefined;
  await saveSession(paths, session);
  const lines = [
    `Logged in as ${user.username} at ${session.hub}.`,
    `The session lasts until ${formatTime(session.expiresAt)} at most; it is kept in ${paths.session}.`,
  ];
  if (replaced?.outcome === "ended") lines.push("The session saved here before was ended at the hub.");
  const data = { hub: session.hub, user, expiresAt: session.expiresAt, sessionId: session.sessionId ?? null, previousSession: replaced ?? null };
  printResult(options, data, lines);
}

type ReplacedSessionOutcome = "ended" | "already_ended" | "not_ended";

/**
 * The saved session is about to be overwritten, and its token with it: ended now, or it would
 * stay open at the hub, unused, until it expires. Failing to end it does not undo the login.
 */
async function endReplacedSession(
  options: GlobalOptions,
  target: HubTarget,
  previous: StoredSession,
): Promise<{ sessionId: string | null; outcome: ReplacedSessionOutcome }> {
  const sessionId = previous.sessionId ?? null;
  try {
    return { sessionId, outcome: await endSessionAtHub(target, previous.token) };
  } catch (error) {
    const reason = asCliFailure(error).message;
    const revoke = sessionId ? `\`pairgate sessions revoke ${sessionId}\`` : "`pairgate sessions revoke ID`";
    printNotice(options, `The session saved here before could not be ended at the hub (${reason}). End it with ${revoke}.`);
    return { sessionId, outcome: "not_ended" };
  }
}

async function logout(command: Command): Promise<void> {
  const options = optionsOf<{ all?: boolean }>(command);
  const paths = homePaths();
  try {
    const reply = await withLoggedInHub(options, async ({ connection }) => {
      if (options.all) return { sessionsEnded: expectData(await connection.call("auth:logout-all", {})).sessionsEnded };
      expectData(await connection.call("auth:logout", {}));
      return { sessionsEnded: 1 };
    });
    await forgetSession(paths);
    const what = options.all ? `Logged out everywhere (${reply.sessionsEnded} session${reply.sessionsEnded === 1 ? "" : "s"} ended).` : "Logged out.";
    printResult(options, { loggedOut: true, ...reply }, what);
  } catch (error) {
    // Logging out of a session that is already gone is done, not failed (except for --all, which needs a session).
    if (options.all || !(error instanceof CliFailure) || !["not_logged_in", "session_ended"].includes(error.code)) throw error;
    const what = error.code === "session_ended" ? "Logged out (the session had already ended at the hub)." : "You were not logged in.";
    printResult(options, { loggedOut: true, sessionsEnded: 0 }, what);
  }
}

function defaultClientName(): string {
  return `pairgate cli on ${hostname()}`.slice(0, CLIENT_NAME_MAX_LENGTH);
}
