import type { Command } from "commander";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR, EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import type { ClientConnection } from "../../terminal/hub-connection.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { formatTable, formatTime, printResult } from "../../terminal/output.ts";
import { clientFailures } from "../messages.ts";
import { hasTerminal } from "../../terminal/hidden-input.ts";
import { promptChoice } from "../prompts.ts";
import { findSessionByPrefix, type ListedSession, sessionLabel, shortIds } from "../session-labels.ts";
import { forgetSession } from "../session-file.ts";

export function addSessionsCommands(program: Command): void {
  const sessions = program
    .command("sessions")
    .description("list your active sessions (`sessions revoke ID` ends one)")
    .action((_options, command: Command) => listSessions(command));
  sessions
    .command("revoke")
    .description("end one of your sessions; its sockets are disconnected at once")
    .argument("[id]", "the session id, or its first characters as `pairgate sessions` shows them (on a terminal, without it: pick from a list)")
    .action((id: string | undefined, _options, command: Command) => revokeSession(id, command));
}

async function listSessions(command: Command): Promise<void> {
  const options = optionsOf(command);
  const { sessions } = await withLoggedInHub(options, async ({ connection }) => expectData(await connection.call("session:list", {})));
  const short = shortIds(sessions.map((session) => session.id));
  const rows = sessions.map((session) => [
    session.current ? `${short.get(session.id)} *` : short.get(session.id)!,
    session.clientName ?? "-",
    session.address ?? "-",
    formatTime(session.lastSeenAt),
    formatTime(session.expiresAt),
  ]);
  const table = formatTable(["ID", "CLIENT", "ADDRESS", "LAST USED", "EXPIRES"], rows);
  const footer = `${sessions.length} active session${sessions.length === 1 ? "" : "s"}; * marks this one. End one with \`pairgate sessions revoke ID\` (the ID as shown).`;
  printResult(options, { sessions }, [...table, "", footer]);
}

async function revokeSession(typed: string | undefined, command: Command): Promise<void> {
  const options = optionsOf(command);
  const { sessionId, label, endedOwn } = await withLoggedInHub(options, async ({ connection, paths, session }) => {
    const chosen = await chooseSession(connection, typed);
    expectData(await connection.call("session:revoke", { sessionId: chosen.id }));
    if (chosen.id !== session.sessionId) return { sessionId: chosen.id, label: sessionLabel(chosen), endedOwn: false };
    await forgetSession(paths);
    return { sessionId: chosen.id, label: sessionLabel(chosen), endedOwn: true };
  });
  const what = endedOwn ? `Ended this session (${label}); you are logged out.` : `Ended the session of ${label}.`;
  printResult(options, { revoked: true, sessionId, current: endedOwn }, what);
}

/** The session named by a whole id or a unique prefix; with neither, on a terminal, a pick from the list. */
async function chooseSession(connection: ClientConnection, typed: string | undefined): Promise<ListedSession> {
  const { sessions } = expectData(await connection.call("session:list", {}));
  if (typed === undefined) {
    if (!hasTerminal()) throw clientFailures.badInput("Name the session: `pairgate sessions revoke ID`, with an ID as `pairgate sessions` shows it.");
    const short = shortIds(sessions.map((session) => session.id));
    const choices = sessions.map((session) => ({ name: `${short.get(session.id)}  ${sessionLabel(session)}`, value: session.id }));
    const id = await promptChoice("Which session should end?", choices);
    return sessions.find((session) => session.id === id)!;
  }
  const match = findSessionByPrefix(sessions, typed);
  if (match.ok) return match.session;
  if (match.reason === "ambiguous") {
    const lines = match.candidates.map((session) => `  ${session.id}  ${sessionLabel(session)}`);
    throw clientFailures.badInput([`"${typed}" starts the id of ${match.candidates.length} sessions; give more of it:`, ...lines].join("\n"));
  }
  throw new CliFailure("session_not_found", `No active session of yours has an id starting with "${typed}". Run \`pairgate sessions\` to list them.`, EXIT_CODE_BY_ERROR.session_not_found ?? EXIT_CODES.failure);
}
