import type { Ack } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import type { GlobalOptions } from "../terminal/global-options.ts";
import { homePaths, type HomePaths } from "../terminal/home.ts";
import { type ClientConnection, connectToHub, HubConnectionError } from "../terminal/hub-connection.ts";
import { type HubTarget, resolveHubTarget } from "../terminal/hub-settings.ts";
import { clientFailures, failureFromConnectFailure, failureFromProtocolError } from "./messages.ts";
import { printNotice } from "../terminal/output.ts";
import { forgetSession, loadSession, type StoredSession } from "./session-file.ts";

export interface HubContext {
  paths: HomePaths;
  target: HubTarget;
  connection: ClientConnection;
}

export interface LoggedInContext extends HubContext {
  session: StoredSession;
}

/** The data of a successful ack; a refusal becomes the CliFailure that words it. */
export function expectData<T>(ack: Ack<T>): T {
  if (!ack.ok) throw failureFromProtocolError(ack.error);
  return ack.data;
}

/** Runs `work` on an anonymous socket (register, login), and always closes it. */
export async function withAnonymousHub<T>(options: GlobalOptions, work: (context: HubContext) => Promise<T>): Promise<T> {
  const paths = homePaths();
  const target = await resolveHubTarget(options, paths);
  const connection = await connect(target);
  try {
    return await work({ paths, target, connection });
  } catch (error) {
    throw error instanceof HubConnectionError ? failureFromConnectFailure(error.failure, target) : error;
  } finally {
    connection.close();
  }
}

/**
 * Runs `work` on a socket authenticated with the saved session. Whenever the hub shows that
 * the session is over (token refused, `session:revoked`, an `unauthorized` answer), the saved
 * session is removed, so that the next command says "log in" instead of failing again.
 */
export async function withLoggedInHub<T>(options: GlobalOptions, work: (context: LoggedInContext) => Promise<T>): Promise<T> {
  const paths = homePaths();
  const session = await loadSession(paths);
  if (!session) throw clientFailures.notLoggedIn();
  const target = await resolveHubTarget(options, paths, session.hub);
  if (target.url !== session.hub) throw clientFailures.otherHub(session.hub, target.url);

  let sessionRevoked = false;
  const connection = await connect(target, session.token).catch(async (error: unknown) => {
    if (error instanceof CliFailure && error.code === "session_ended") await forgetSession(paths);
    throw error;
  });
  // Not printed: when it matters, the command's own failure ("log in again") says it.
  connection.onPush("session:revoked", () => {
    sessionRevoked = true;
  });
  connection.onPush("security:notice", (notice) => printNotice(options, notice.message));
  connection.onPush("login:not-me", (report) => printNotice(options, report.message));
  try {
    return await work({ paths, target, connection, session });
  } catch (error) {
    if (error instanceof CliFailure && error.code === "unauthorized") await forgetSession(paths);
    if (error instanceof HubConnectionError) {
      throw sessionRevoked ? clientFailures.sessionEnded() : failureFromConnectFailure(error.failure, target);
    }
    throw error;
  } finally {
    connection.close();
    if (sessionRevoked) await forgetSession(paths);
  }
}

/**
 * Ends one session at the hub with its token, on a socket of its own (`login` uses it for the
 * session it replaces). A token the hub no longer accepts is a session already over: done too.
 */
export async function endSessionAtHub(target: HubTarget, token: string): Promise<"ended" | "already_ended"> {
  let connection: ClientConnection;
  try {
    connection = await connect(target, token);
  } catch (error) {
    if (error instanceof CliFailure && error.code === "session_ended") return "already_ended";
    throw error;
  }
  try {
    const reply = await connection.call("auth:logout", {});
    if (!reply.ok && reply.error.code === "unauthorized") return "already_ended";
    expectData(reply);
    return "ended";
  } catch (error) {
    throw error instanceof HubConnectionError ? failureFromConnectFailure(error.failure, target) : error;
  } finally {
    connection.close();
  }
}

async function connect(target: HubTarget, token?: string): Promise<ClientConnection> {
  try {
    return await connectToHub("/client", target, token ? { token } : {});
  } catch (error) {
    throw error instanceof HubConnectionError ? failureFromConnectFailure(error.failure, target) : error;
  }
}
