import { readdirSync, readFileSync, statSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";

/** One email as a test reads it. */
export interface ReceivedMail {
  to: string;
  subject: string;
  text: string;
  raw: string;
}

/** The 6-digit code of a PairGate email (`code: 123456` on a line of its own). */
export function codeIn(mail: ReceivedMail): string {
  const match = /^code: (\d{6})$/m.exec(mail.text);
  if (!match) throw new Error(`no code in the email "${mail.subject}"`);
  return match[1]!;
}

/** Headers and a plain-text body, undoing quoted-printable if the composer used it. */
export function parseMail(raw: string, to?: string): ReceivedMail {
  const split = raw.search(/\r?\n\r?\n/);
  const head = raw.slice(0, split).replace(/\r?\n[ \t]+/g, " ");
  const body = raw.slice(split).replace(/^\r?\n\r?\n/, "");
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const quoted = /quoted-printable/i.test(header("Content-Transfer-Encoding"));
  const text = quoted ? body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_all, hex: string) => String.fromCharCode(parseInt(hex, 16))) : body;
  return { to: to ?? header("To"), subject: header("Subject"), text: text.replace(/\r\n/g, "\n"), raw };
}

async function waitFor<T>(find: () => T | undefined, what: string, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export interface TestSmtpServer {
  url: string;
  messages: ReceivedMail[];
  waitForMail(to: string, subject: RegExp, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (the smtp-server package) on a free port, keeping what it receives.
 * `acceptDelayMs` holds each message before accepting it, like a slow relay.
 */
export async function startTestSmtpServer(options: { acceptDelayMs?: number } = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on the loopback: the hub would rightly refuse this server's self-signed STARTTLS.
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const accept = () => {
          messages.push(parseMail(Buffer.concat(chunks).toString("utf8"), session.envelope.rcptTo.map((rcpt) => rcpt.address).join(", ")));
          callback();
        };
        if (options.acceptDelayMs) setTimeout(accept, options.acceptDelayMs);
        else accept();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = server.server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitForMail: (to, subject, timeoutMs = 30_000) =>
      waitFor(() => messages.find((mail) => mail.to === to && subject.test(mail.subject)), `an email to ${to}`, timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An smtp:// URL where nothing listens: a port just taken and given back. */
export async function unreachableSmtpUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `smtp://127.0.0.1:${port}`;
}

export interface OutboxMail extends ReceivedMail {
  file: string;
  mode: number;
}

/** The hub's outbox folder (no SMTP_URL), oldest first. */
export function readOutbox(dataDir: string): OutboxMail[] {
  const dir = path.join(dataDir, "outbox");
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".eml")).sort();
  } catch {
    return [];
  }
  return names.map((name) => {
    const file = path.join(dir, name);
    return { ...parseMail(readFileSync(file, "utf8")), file, mode: statSync(file).mode & 0o777 };
  });
}

export function waitForOutboxMail(dataDir: string, to: string, subject: RegExp, timeoutMs = 30_000): Promise<OutboxMail> {
  return waitFor(() => readOutbox(dataDir).findLast((mail) => mail.to.includes(to) && subject.test(mail.subject)), `an outbox email to ${to}`, timeoutMs);
}
