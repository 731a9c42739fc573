import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import { deviceFailures } from "./device-messages.ts";
import { describeOtpDataProblem, describeWrongPassphrase, type OtpDataFile, PASSPHRASE_ENV } from "./otp-data.ts";
import { promptSecret } from "../terminal/hidden-input.ts";

/**
 * Unlocks a sealed data file for a command: with `given` (a line of `--passphrase-stdin`), else
 * PAIRGATE_DEVICE_PASSPHRASE, else a hidden prompt on the terminal. Never on the command line,
 * where other users of the machine could read it in the process list. A plain file needs nothing.
 */
export async function unlockForCommand(file: OtpDataFile, given?: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const protection = await file.protection();
  if (!protection.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(protection.problem));
  if (!protection.sealed || protection.unlocked) return;
  const passphrase = given ?? (env[PASSPHRASE_ENV] || (await promptSecret("Passphrase of the data file:", `Set ${PASSPHRASE_ENV}.`)));
  const unlocked = await file.unlock(passphrase);
  if (unlocked.ok) return;
  if (unlocked.reason === "problem") throw deviceFailures.dataProblem(describeOtpDataProblem(unlocked.problem));
  throw new CliFailure("wrong_passphrase", describeWrongPassphrase(file.path), EXIT_CODES.notAuthenticated);
}
