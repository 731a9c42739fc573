import type { Command } from "commander";
import { optionsOf } from "../../terminal/global-options.ts";
import { printResult } from "../../terminal/output.ts";
import { accountLabel, publicAccountView } from "../account-selection.ts";
import { openDataFile, defaultDeviceName, type DeviceOptions } from "../device-settings.ts";
import { pairDevice } from "../pairing.ts";

export function addBindCommand(program: Command): void {
  program
    .command("bind")
    .description("pair this authenticator with an account, using the binding code the client shows")
    .argument("<code>", "the binding code, XXXX-XXXX (case and the dash do not matter)")
    .option("--name <name>", "a name for this device, shown in the account's device list", defaultDeviceName())
    .action(async (code: string, _local: unknown, command: Command) => {
      const options = optionsOf<DeviceOptions & { name: string }>(command);
      const file = await openDataFile(options);
      const account = await pairDevice(file, { hub: options.hub, ca: options.ca, code, name: options.name });
      printResult(options, { account: publicAccountView(account) }, [
        `Paired ${accountLabel(account)} as "${account.deviceName}" (device ${account.id}).`,
        `Saved in ${file.path}. Run \`pairgate-device code\` for a code, or \`pairgate-device\` for the app.`,
      ]);
    });
}
