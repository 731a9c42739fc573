import { createInterface, type Interface } from "node:readline";
import type { Command } from "commander";
import { usernameSchema, WAITING_MESSAGE_TTL_SECONDS, type EventReply } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { type ClientConnection, HubConnectionError } from "../../terminal/hub-connection.ts";
import { printResultLine } from "../../terminal/output.ts";
import { jsonPrinter, plainPrinter, terminalPrinter } from "../chat-printers.ts";
import { type IncomingMessage, sendLines } from "../chat-relay.ts";
import { withLoggedInHub } from "../hub-access.ts";
import { clientFailures, failureFromProtocolError } from "../messages.ts";
import { hasTerminal } from "../../terminal/hidden-input.ts";

// After the last line of a script is sent, replies still on their way get this long to arrive.
export const CHAT_DRAIN_MS = 1000;

const CHAT_HELP = `
On a terminal: type a line and press Enter to send it; messages arrive above the prompt.
Ctrl+D or Ctrl+C ends the chat. Messages sent while the other person has no chat open wait for
them on the hub (up to ${WAITING_MESSAGE_TTL_SECONDS / 86_400} days) and are shown, in order, when they next open one. Messages that
waited for you are shown first. A username that does not exist ends the chat at once.

In scripts, each line of standard input is sent as one message; messages received are printed
on stdout as "[HH:MM] name: text" lines (with --json, one JSON object per line:
{"ok":true,"data":{"received":{...}}}, {"ok":true,"data":{"sent":{...}}} or {"ok":false,"error":{...,"text":...}}).
At end of input the chat waits ${CHAT_DRAIN_MS / 1000} second for late messages, then exits:
0 when every line was sent, 1 when some were not.`;

export function addChatCommand(program: Command): void {
  program
    .command("chat")
    .description("send messages to another user, line by line, and see messages to you live")
    .argument("<username>", "who to write to")
    .addHelpText("after", CHAT_HELP)
    .action((username: string, _options, command: Command) => chat(username, command));
}

async function chat(username: string, command: Command): Promise<void> {
  const options = optionsOf(command);
  const to = checkUsername(username);
  const interactive = hasTerminal() && !options.json;
  const refusals = await withLoggedInHub(options, async ({ connection, session }) => {
    // Messages may arrive live as soon as the hub knows this socket listens, before the terminal is set up.
    const early: IncomingMessage[] = [];
    let receive: (message: IncomingMessage) => void = (message) => early.push(message);
    const stopReceiving = connection.onPush("message:new", (message) => receive(message));
    let reader: Interface | undefined;
    try {
      const { waiting, peer } = await startListening(connection, to);
      // Made only now: a reader made earlier could see all of a short input end before it is read.
      reader = createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, terminal: interactive, prompt: "> " });
      // readline pauses on Ctrl+C unless someone listens; ending the chat is what the person means.
      reader.on("SIGINT", () => reader?.close());
      const printer = options.json ? jsonPrinter(to) : interactive ? terminalPrinter(reader) : plainPrinter();
      if (options.json) printResultLine(options, { chatting: { with: to, as: session.username, listening: peer.listening } }, []);
      else process.stderr.write(`${chatIntroduction(to, session.username, peer.listening)} ${interactive ? "Ctrl+D to leave." : "Each line of input is sent."}\n`);
      for (const message of [...waiting, ...early]) printer.received(message);
      receive = (message) => printer.received(message);
      if (interactive) reader.prompt();
      const refused = await untilDisconnected(connection, sendLines(connection, to, reader, printer));
      if (!interactive) await untilDisconnected(connection, new Promise((resolve) => setTimeout(resolve, CHAT_DRAIN_MS)));
      return refused;
    } finally {
      stopReceiving();
      closeReader(reader);
    }
  });
  if (refusals > 0 && !interactive) {
    throw new CliFailure("not_all_sent", `${refusals} line${refusals === 1 ? " was" : "s were"} not sent (see above).`, EXIT_CODES.failure);
  }
}

/** The chat ends with an error as soon as the connection drops (a revoked session, a hub stopping). */
function untilDisconnected<T>(connection: ClientConnection, work: Promise<T>): Promise<T> {
  let stop = () => {};
  const dropped = new Promise<never>((_resolve, reject) => {
    stop = connection.onDisconnect((reason) => reject(new HubConnectionError({ kind: "disconnected", reason })));
  });
  return Promise.race([work, dropped]).finally(stop);
}

/** Starts receiving messages; a recipient who does not exist ends the chat before any line is typed. */
async function startListening(connection: ClientConnection, to: string): Promise<{ waiting: EventReply<"message:listen">["waiting"]; peer: { listening: boolean } }> {
  const answer = await connection.call("message:listen", { peer: to });
  if (!answer.ok) throw failureFromProtocolError(answer.error);
  return { waiting: answer.data.waiting, peer: answer.data.peer ?? { listening: false } };
}

function chatIntroduction(to: string, me: string, peerListening: boolean): string {
  if (peerListening) return `Chatting with ${to} as ${me}.`;
  return `Chatting with ${to} as ${me}; ${to} is not connected now, so what you send waits for them.`;
}

function closeReader(reader: Interface | undefined): void {
  reader?.close();
  // A pipe left open by the writer would otherwise keep the process alive after the chat ends.
  process.stdin.destroy();
}

function checkUsername(raw: string): string {
  const parsed = usernameSchema.safeParse(raw);
  if (!parsed.success) throw clientFailures.badInput(`"${raw}" is not a username.`);
  return parsed.data;
}
