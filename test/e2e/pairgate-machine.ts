import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { decodeBase32Secret, generateHotp } from "#otp";
import { type CliRun, launchCli, type RunningCli, runCli } from "../support/cli-process.ts";
import { expectOk } from "../support/client.ts";
import { connectDevice, deviceCall } from "../support/device.ts";
import type { TestHub } from "../support/hub.ts";
import { codeIn, readOutbox } from "../support/mail.ts";

/** One machine running the real `pairgate`, with its own state folder, pointed at the test hub. */
export interface Machine {
  home: string;
  env: Record<string, string>;
  run(args: string[], input?: string): Promise<CliRun>;
  launch(args: string[], terminal?: boolean): RunningCli;
  savedSession(): Promise<{ token: string; username: string } | undefined>;
}

export function machine(hub: TestHub, home: string): Machine {
  const env = { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile };
  return {
    home,
    env,
    run: (args, input = "") => runCli(args, env, input),
    launch: (args, terminal = false) => launchCli(args, { env, terminal }),
    async savedSession() {
      try {
        return JSON.parse(await readFile(join(home, "session.json"), "utf8"));
      } catch {
        return undefined;
      }
    },
  };
}

export function json(run: CliRun): { ok: boolean; data: any; error: any } {
  return JSON.parse(run.stdout);
}

export function jsonLines(text: string): { ok: boolean; data: any; error: any }[] {
  return text
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line));
}

/**
 * Reads codes from the hub's outbox folder, each email once: the newest unread email to that
 * address with that subject (any older unread ones of the same kind are passed over).
 */
export function outboxReader(hub: TestHub) {
  const read = new Set<string>();
  return async function nextCode(to: string, subject: RegExp, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const unread = readOutbox(hub.dataDir).filter((mail) => !read.has(mail.file) && mail.to.includes(to) && subject.test(mail.subject));
      for (const mail of unread) read.add(mail.file);
      if (unread.length > 0) return codeIn(unread.at(-1)!);
      if (Date.now() > deadline) throw new Error(`no new email to ${to} matching ${subject}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
}

/** An authenticator bound with a binding code, as the tests hold it: it makes the next HOTP code. */
export interface BoundAuthenticator {
  deviceId: string;
  deviceToken: string;
  nextCode(): string;
}

export async function bindAuthenticator(hub: TestHub, code: string, name: string): Promise<BoundAuthenticator> {
  const anonymous = await connectDevice(hub);
  try {
    const bound = expectOk(await deviceCall(anonymous, "device:bind", { code, name }));
    const secret = decodeBase32Secret(bound.secret);
    let counter = bound.counter;
    return { deviceId: bound.deviceId, deviceToken: bound.deviceToken, nextCode: () => generateHotp(secret, counter++) };
  } finally {
    anonymous.disconnect();
  }
}
