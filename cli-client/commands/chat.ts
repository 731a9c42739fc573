import { createInterface, type Interface } from "node:readline";
import type { Command } from "commander";
import { usernameSchema } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { type ClientConnection, HubConnectionError } from "../../terminal/hub-connection.ts";
import { printResultLine } from "../../terminal/output.ts";
import { jsonPrinter, plainPrinter, terminalPrinter } from "../chat-printers.ts";
import { sendLines } from "../chat-relay.ts";
import { withLoggedInHub } from "../hub-access.ts";
import { clientFailures } from "../messages.ts";
import { hasTerminal } from "../prompts.ts";

// After the last line of a script is sent, replies still on their way get this long to arrive.
export const CHAT_DRAIN_MS = 1000;

const CHAT_HELP = `
On a terminal: type a line and press Enter to send it; messages arrive above the prompt.
Ctrl+D or Ctrl+C ends the chat. Messages are not kept: the other person sees them only while
connected (otherwise the line is answered "not sent").

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
    const reader = createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, terminal: interactive, prompt: "> " });
    // readline pauses on Ctrl+C unless someone listens; ending the chat is what the person means.
    reader.on("SIGINT", () => reader.close());
    const printer = options.json ? jsonPrinter(to) : interactive ? terminalPrinter(reader) : plainPrinter();
    const stopReceiving = connection.onPush("message:new", (message) => printer.received(message));
    if (options.json) printResultLine(options, { chatting: { with: to, as: session.username } }, []);
    else process.stderr.write(`Chatting with ${to} as ${session.username}. ${interactive ? "Ctrl+D to leave." : "Each line of input is sent."}\n`);
    if (interactive) reader.prompt();
    try {
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

function closeReader(reader: Interface): void {
  reader.close();
  // A pipe left open by the writer would otherwise keep the process alive after the chat ends.
  process.stdin.destroy();
}

function checkUsername(raw: string): string {
  const parsed = usernameSchema.safeParse(raw);
  if (!parsed.success) throw clientFailures.badInput(`"${raw}" is not a username.`);
  return parsed.data;
}
