import type { Command } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { printResult } from "../../terminal/output.ts";
import { unlockForCommand } from "../data-unlock.ts";
import { deviceFailures } from "../device-messages.ts";
import { dataFileFor, type DeviceOptions } from "../device-settings.ts";
import { describeOtpDataProblem, type OtpDataFile, PASSPHRASE_ENV } from "../otp-data.ts";
import { readStdinLines } from "../../terminal/hidden-input.ts";
import { passphraseRefusal, promptNewPassphrase } from "../passphrase-input.ts";
import { deriveNewSealKey } from "../sealed-data.ts";

type PassphraseOptions = DeviceOptions & { passphraseStdin?: boolean };

const NEW_HINT = "Pass it on standard input with --passphrase-stdin.";

export function addPassphraseCommands(program: Command): void {
  const passphrase = program
    .command("passphrase")
    .description("seal the data file with a passphrase (scrypt, AES-256-GCM), change it, or remove it");

  passphrase
    .command("set")
    .description("protect a plain data file with a new passphrase")
    .option("--passphrase-stdin", "read the new passphrase from the first line of standard input")
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<PassphraseOptions>(command);
      const file = dataFileFor(options);
      if (await isSealed(file)) throw deviceFailures.usage(`${file.path} already has a passphrase. Use \`pairgate-device passphrase change\`.`);
      const newPassphrase = options.passphraseStdin ? await readNewFromStdin(1, 0) : await promptNewPassphrase(NEW_HINT);
      await resealWith(file, newPassphrase);
      printResult(options, { path: file.path, sealed: true }, [
        `${file.path} is now sealed with your passphrase.`,
        `The app asks for it at start; scripts set ${PASSPHRASE_ENV}. Without it the codes cannot be recovered: keep it safe.`,
      ]);
    });

  passphrase
    .command("change")
    .description("seal the data file with a new passphrase (and today's scrypt cost)")
    .option("--passphrase-stdin", "read the current passphrase, then the new one, as two lines of standard input")
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<PassphraseOptions>(command);
      const file = dataFileFor(options);
      if (!(await isSealed(file))) throw deviceFailures.usage(`${file.path} has no passphrase yet. Use \`pairgate-device passphrase set\`.`);
      const lines = options.passphraseStdin ? await readStdinLines(2) : undefined;
      await unlockForCommand(file, lines?.[0]);
      const newPassphrase = lines ? checkedNew(lines[1] ?? "") : await promptNewPassphrase(NEW_HINT);
      await resealWith(file, newPassphrase);
      printResult(options, { path: file.path, sealed: true }, `${file.path} is now sealed with the new passphrase.`);
    });

  passphrase
    .command("remove")
    .description("store the data file without a passphrase again (0600, readable by your user)")
    .option("--passphrase-stdin", "read the current passphrase from the first line of standard input")
    .action(async (_local: unknown, command: Command) => {
      const options = optionsOf<PassphraseOptions>(command);
      const file = dataFileFor(options);
      if (!(await isSealed(file))) throw deviceFailures.usage(`${file.path} has no passphrase to remove.`);
      await unlockForCommand(file, options.passphraseStdin ? (await readStdinLines(1))[0] : undefined);
      const saved = await file.reseal(null);
      if (!saved.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(saved.problem));
      printResult(options, { path: file.path, sealed: false }, `${file.path} no longer has a passphrase; it is protected by its 0600 mode only.`);
    });
}

async function isSealed(file: OtpDataFile): Promise<boolean> {
  const protection = await file.protection();
  if (!protection.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(protection.problem));
  return protection.sealed;
}

async function readNewFromStdin(count: number, index: number): Promise<string> {
  return checkedNew((await readStdinLines(count))[index] ?? "");
}

function checkedNew(passphrase: string): string {
  const refused = passphraseRefusal(passphrase);
  if (refused) throw deviceFailures.usage(refused);
  return passphrase;
}

async function resealWith(file: OtpDataFile, passphrase: string): Promise<void> {
  const saved = await file.reseal(await deriveNewSealKey(passphrase));
  if (!saved.ok) throw deviceFailures.dataProblem(describeOtpDataProblem(saved.problem));
}
