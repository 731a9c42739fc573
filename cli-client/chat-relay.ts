import { type EventReply, MESSAGE_MAX_LENGTH, type PushPayload } from "#protocol";
import type { CliFailure } from "../terminal/cli-failure.ts";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { clientFailures, failureFromProtocolError } from "./messages.ts";

export type IncomingMessage = PushPayload<"message:new">;
export type SentMessage = EventReply<"message:send">;

/** Where a chat's events go: a terminal, plain lines, or JSON lines. */
export interface ChatPrinter {
  received(message: IncomingMessage): void;
  sent(text: string, reply: SentMessage): void;
  refused(text: string, failure: CliFailure): void;
  /** Called once a line has been dealt with, so a terminal can show its prompt again. */
  settled(): void;
}

/**
 * Sends each line as one message, in order, each after the hub answered the one before. A
 * refusal (offline recipient, unknown user, rate limit, a line too long) is printed and the next
 * line is sent; only a lost connection stops the chat. Returns how many lines were not sent.
 */
export async function sendLines(connection: ClientConnection, to: string, lines: AsyncIterable<string>, printer: ChatPrinter): Promise<number> {
  let refusals = 0;
  for await (const line of lines) {
    const text = line.trim();
    if (text.length === 0) {
      printer.settled();
      continue;
    }
    const failure = await sendOne(connection, to, text, printer);
    if (failure) {
      refusals += 1;
      printer.refused(text, failure);
    }
    printer.settled();
  }
  return refusals;
}

async function sendOne(connection: ClientConnection, to: string, text: string, printer: ChatPrinter): Promise<CliFailure | undefined> {
  if (text.length > MESSAGE_MAX_LENGTH) return clientFailures.badInput(`A message holds at most ${MESSAGE_MAX_LENGTH} characters; this line has ${text.length}.`);
  const answer = await connection.call("message:send", { to, text });
  if (!answer.ok) return failureFromProtocolError(answer.error);
  printer.sent(text, answer.data);
  return undefined;
}

/** `[14:03] bob: text`, with the lines of a multi-line message indented under the first. */
export function formatIncoming(message: IncomingMessage): string {
  const time = message.sentAt.slice(11, 16);
  return `[${time}] ${message.from}: ${message.text.replace(/\n/g, "\n    ")}`;
}

/** A line as it is quoted in a refusal: short enough to stay on one terminal line. */
export function quoteLine(text: string, maxLength = 40): string {
  return JSON.stringify(text.length > maxLength ? `${text.slice(0, maxLength - 1)}…` : text);
}
