import type { Command } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { formatTable, formatTime, printResult } from "../../terminal/output.ts";
import { forgetSession } from "../session-file.ts";

export function addSessionsCommands(program: Command): void {
  const sessions = program
    .command("sessions")
    .description("list your active sessions (`sessions revoke ID` ends one)")
    .action((_options, command: Command) => listSessions(command));
  sessions
    .command("revoke")
    .description("end one of your sessions; its sockets are disconnected at once")
    .argument("<id>", "the session id, as `pairgate sessions` lists it")
    .action((id: string, _options, command: Command) => revokeSession(id, command));
}

async function listSessions(command: Command): Promise<void> {
  const options = optionsOf(command);
  const { sessions } = await withLoggedInHub(options, async ({ connection }) => expectData(await connection.call("session:list", {})));
  const rows = sessions.map((session) => [
    session.current ? `${session.id} *` : session.id,
    session.clientName ?? "-",
    session.address ?? "-",
    formatTime(session.lastSeenAt),
    formatTime(session.expiresAt),
  ]);
  const table = formatTable(["ID", "CLIENT", "ADDRESS", "LAST SEEN", "EXPIRES"], rows);
  printResult(options, { sessions }, [...table, "", `${sessions.length} active session${sessions.length === 1 ? "" : "s"}; * marks this one.`]);
}

async function revokeSession(sessionId: string, command: Command): Promise<void> {
  const options = optionsOf(command);
  const endedOwn = await withLoggedInHub(options, async ({ connection, paths, session }) => {
    expectData(await connection.call("session:revoke", { sessionId }));
    if (sessionId !== session.sessionId) return false;
    await forgetSession(paths);
    return true;
  });
  const what = endedOwn ? `Session ${sessionId} (this one) ended; you are logged out.` : `Session ${sessionId} ended.`;
  printResult(options, { revoked: true, sessionId, current: endedOwn }, what);
}
