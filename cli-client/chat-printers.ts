import { clearLine, cursorTo, type Interface } from "node:readline";
import { styleText } from "node:util";
import type { ChatPrinter } from "./chat-relay.ts";
import { formatIncoming, quoteLine } from "./chat-relay.ts";

/**
 * For scripts reading stdout: each message received is one line; refusals go to stderr, so
 * stdout carries only what others sent.
 */
export function plainPrinter(): ChatPrinter {
  return {
    received: (message) => process.stdout.write(`${formatIncoming(message)}\n`),
    sent: () => undefined,
    refused: (text, failure) => process.stderr.write(`Not sent: ${quoteLine(text)}: ${failure.message}\n`),
    settled: () => undefined,
  };
}

/** `--json`: one object per line, shaped like every other result: received, sent, or refused. */
export function jsonPrinter(to: string): ChatPrinter {
  const line = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
  return {
    received: (message) => line({ ok: true, data: { received: message } }),
    sent: (text, reply) => line({ ok: true, data: { sent: { messageId: reply.messageId, to, text, delivered: reply.delivered, ...(reply.waitsUntil ? { waitsUntil: reply.waitsUntil } : {}) } } }),
    refused: (text, failure) => line({ ok: false, error: { code: failure.code, message: failure.message, exitCode: failure.exitCode, text, ...failure.extra } }),
    settled: () => undefined,
  };
}

/** On a terminal: messages appear above the prompt, which is drawn again with what was being typed. */
export function terminalPrinter(reader: Interface): ChatPrinter {
  const aboveThePrompt = (write: () => void) => {
    clearLine(process.stderr, 0);
    cursorTo(process.stderr, 0);
    write();
    reader.prompt(true);
  };
  return {
    received: (message) => aboveThePrompt(() => process.stdout.write(`${formatIncoming(message)}\n`)),
    sent: (_text, reply) => {
      if (!reply.delivered) process.stderr.write(`${styleText("dim", "  waiting to be read")}\n`);
    },
    refused: (_text, failure) => process.stderr.write(`${styleText("yellow", "  not sent:")} ${failure.message}\n`),
    settled: () => reader.prompt(),
  };
}
