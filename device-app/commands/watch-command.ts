import type { Command } from "commander";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { accountLabel, selectWatchedAccounts } from "../account-selection.ts";
import { DeviceLink, type DeviceLinkListener, type LinkStatus } from "../device-link.ts";
import { describeConnecting } from "../device-messages.ts";
import { accountHubTarget, openDataFile, type DeviceOptions } from "../device-settings.ts";
import { secondsUntil } from "../hooks/use-countdown.ts";
import { type DeviceAccount, markAccountRevoked, type OtpDataFile } from "../otp-data.ts";
import { ACCOUNT_OPTION_HELP, readAccounts } from "./account-commands.ts";

export function addWatchCommand(program: Command): void {
  program
    .command("watch")
    .description("stay connected and print each login request (challenge:new) and its end (challenge:closed) as one JSON line")
    .option("--account <account>", `${ACCOUNT_OPTION_HELP}; default: every paired account`)
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions & { account?: string }>(command);
      const file = await openDataFile(options);
      const accounts = selectWatchedAccounts(await readAccounts(file), options.account);
      await watchAccounts(file, accounts);
    });
}

/**
 * One JSON object per line on stdout, `{"event", "account", "data"}`, where data is the push
 * exactly as the protocol defines it; connection news goes to stderr, so stdout stays parseable.
 * Requests already waiting at (re)connect are printed once, as challenge:new.
 */
async function watchAccounts(file: OtpDataFile, accounts: DeviceAccount[]): Promise<void> {
  const seen = new Set<string>();
  const links: DeviceLink[] = [];
  let stopped = 0;
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      for (const link of links) link.close();
      process.off("SIGINT", finish).off("SIGTERM", finish);
      resolve();
    };
    const linkStopped = (why: string) => {
      if (++stopped < accounts.length) return;
      for (const link of links) link.close();
      process.off("SIGINT", finish).off("SIGTERM", finish);
      reject(new CliFailure("not_paired", `Nothing left to watch: ${why}`, EXIT_CODES.notAuthenticated));
    };
    process.on("SIGINT", finish).on("SIGTERM", finish);
    for (const account of accounts) {
      accountHubTarget(account).then((target) => {
        const link = new DeviceLink(target, { deviceId: account.id, deviceToken: account.deviceToken }, watchListener(file, account, seen, linkStopped));
        links.push(link);
        link.start();
      }, reject);
    }
  });
}

function watchListener(file: OtpDataFile, account: DeviceAccount, seen: Set<string>, linkStopped: (why: string) => void): DeviceLinkListener {
  const label = accountLabel(account);
  const about = { id: account.id, username: account.username, hub: account.hub };
  const print = (event: string, data: unknown) => process.stdout.write(`${JSON.stringify({ event, account: about, data })}\n`);
  const printNew = (challenge: { challengeId: string }) => {
    if (seen.has(challenge.challengeId)) return;
    seen.add(challenge.challengeId);
    print("challenge:new", challenge);
  };
  return {
    status: (status) => {
      process.stderr.write(`${label}: ${describeStatus(status)}\n`);
      if (status.state === "offline") linkStopped(`${label} is ${status.reason}.`);
    },
    challengesListed: (challenges) => challenges.forEach(printNew),
    challengeNew: printNew,
    challengeClosed: (closed) => print("challenge:closed", closed),
    notice: (notice) => print("security:notice", notice),
    revoked: (cause) => {
      if (cause !== "revoked") return;
      print("device:revoked", { deviceId: account.id });
      const warn = (why: string) => process.stderr.write(`${label}: could not flag the account as revoked in the data file: ${why}\n`);
      markAccountRevoked(file, account.id).then(
        (saved) => saved.ok || warn(saved.problem.reason),
        (error: unknown) => warn(String(error)),
      );
    },
    problem: (message) => process.stderr.write(`${label}: ${message}\n`),
  };
}

function describeStatus(status: LinkStatus): string {
  switch (status.state) {
    case "connecting":
      return describeConnecting(status);
    case "connected":
      return "connected";
    case "reconnecting":
      return `reconnecting in ${secondsUntil(status.retryAt, Date.now())}s (${status.reason})`;
    case "offline":
      return `offline: ${status.reason}`;
  }
}
