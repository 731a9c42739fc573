import type { Command } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { formatTable, formatTime, printResult } from "../../terminal/output.ts";
import { accountLabel, publicAccountView, selectAccount } from "../account-selection.ts";
import { deviceFailures } from "../device-messages.ts";
import { openDataFile, type DeviceOptions } from "../device-settings.ts";
import { takeNextCode } from "../hotp-codes.ts";
import { describeOtpDataProblem, type DeviceAccount, type OtpDataFile } from "../otp-data.ts";

export const ACCOUNT_OPTION_HELP = "the account: username, username@host:port, or device id (needed when there are several)";

export function addCodeCommand(program: Command): void {
  program
    .command("code")
    .description("print the next one-time code (the counter is saved before the code is printed)")
    .option("--account <account>", ACCOUNT_OPTION_HELP)
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions & { account?: string }>(command);
      const file = await openDataFile(options);
      const account = selectAccount(await readAccounts(file), options.account);
      const taken = await takeNextCode(file, account);
      if (!taken.ok) throw deviceFailures.takeCode(taken);
      printResult(options, { code: taken.code, counter: taken.counter, account: publicAccountView(account) }, taken.code);
    });
}

export function addListCommand(program: Command): void {
  program
    .command("list")
    .description("list the paired accounts (secrets and tokens are never shown)")
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions>(command);
      const accounts = await readAccounts(await openDataFile(options));
      const rows = accounts.map((account) => [accountLabel(account), account.deviceName, account.id, account.revokedAt ? "revoked" : "paired", formatTime(account.addedAt)]);
      const human = accounts.length === 0 ? ["No accounts yet. Pair one with `pairgate-device bind CODE`."] : formatTable(["ACCOUNT", "DEVICE NAME", "DEVICE ID", "STATE", "ADDED"], rows);
      printResult(options, { accounts: accounts.map(publicAccountView) }, human);
    });
}

/** The accounts in the data file; a damaged file stops the command with its path and the reason. */
export async function readAccounts(file: OtpDataFile): Promise<DeviceAccount[]> {
  const read = await file.read();
  if (!read.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(read.problem));
  return read.accounts;
}
