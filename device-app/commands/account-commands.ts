import type { Command } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { formatTable, formatTime, printResult } from "../../terminal/output.ts";
import { accountLabel, publicAccountView, selectAccount } from "../account-selection.ts";
import { deviceFailures } from "../device-messages.ts";
import { openDataFile, type DeviceOptions } from "../device-settings.ts";
import { takeNextCode } from "../hotp-codes.ts";
import { type ImportedCode, publicImportedView } from "../imported-code.ts";
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
    .description("list the paired accounts and the imported codes of other services (secrets and tokens are never shown)")
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions>(command);
      const read = await (await openDataFile(options)).read();
      if (!read.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(read.problem));
      printResult(options, { accounts: read.accounts.map(publicAccountView), imported: read.imported.map(publicImportedView) }, listLines(read.accounts, read.imported));
    });
}

function listLines(accounts: DeviceAccount[], imported: ImportedCode[]): string[] {
  if (accounts.length === 0 && imported.length === 0) {
    return ["No accounts or codes yet. Pair a PairGate account with `pairgate-device bind CODE`, or import another service's otpauth:// URI with `pairgate-device import FILE`."];
  }
  const accountRows = accounts.map((account) => [accountLabel(account), account.deviceName, account.id, account.revokedAt ? "revoked" : "paired", formatTime(account.addedAt)]);
  const codeRows = imported.map((code) => [code.issuer ?? "-", code.account, code.type.toUpperCase(), formatTime(code.addedAt)]);
  return [
    ...(accounts.length === 0 ? ["No paired PairGate accounts."] : formatTable(["ACCOUNT", "DEVICE NAME", "DEVICE ID", "STATE", "ADDED"], accountRows)),
    "",
    ...(imported.length === 0 ? ["No imported codes of other services."] : ["Codes of other services:", ...formatTable(["SERVICE", "ACCOUNT", "KIND", "ADDED"], codeRows)]),
  ];
}

/** The accounts in the data file; a damaged file stops the command with its path and the reason. */
export async function readAccounts(file: OtpDataFile): Promise<DeviceAccount[]> {
  const read = await file.read();
  if (!read.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(read.problem));
  return read.accounts;
}
