import type { Command } from "commander";
import { numberMatchSchema } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { printResult } from "../../terminal/output.ts";
import { accountLabel, selectAccount } from "../account-selection.ts";
import { approveChallenge, denyChallenge } from "../challenge-decisions.ts";
import { deviceFailures } from "../device-messages.ts";
import { dataFileFor, type DeviceOptions } from "../device-settings.ts";
import { ACCOUNT_OPTION_HELP, readAccounts } from "./account-commands.ts";
import { withPairedSocket } from "./device-session.ts";

type DecisionOptions = DeviceOptions & { account?: string; number?: string; notMe?: boolean };

export function addDecisionCommands(program: Command): void {
  program
    .command("approve")
    .description("approve a waiting login with this device's next code and the number the logging-in screen shows (a wrong number denies it)")
    .argument("<challengeId>", "the login request, as `watch` prints it")
    .requiredOption("--number <NN>", "the two-digit number the logging-in screen shows; this device is never told it")
    .option("--account <account>", ACCOUNT_OPTION_HELP)
    .action(async (challengeId: string, _local: unknown, command: Command) => {
      const options = optionsOf<DecisionOptions>(command);
      const number = numberMatchSchema.safeParse(options.number);
      if (!number.success) throw deviceFailures.usage(`--number must be the two digits the client shows (got "${options.number}").`);
      const file = dataFileFor(options);
      const account = selectAccount(await readAccounts(file), options.account);
      await withPairedSocket(account, async (call) => {
        const listed = await call("challenge:list", {});
        if (!listed.ok) throw deviceFailures.hubError(listed.error);
        const challenge = listed.data.challenges.find((pending) => pending.challengeId === challengeId);
        // Checked before a code is spent: an approval that cannot succeed should not use one up.
        if (!challenge) throw notWaiting(challengeId, accountLabel(account));
        const result = await approveChallenge(file, account, call, challengeId, number.data);
        if (!result.ok) throw result.failure;
        printResult(options, { challengeId, approved: true, username: challenge.username }, `Approved the login of ${challenge.username} (${challengeId}).`);
      });
    });

  program
    .command("deny")
    .description("refuse a waiting login; the client is told at once")
    .argument("<challengeId>", "the login request, as `watch` prints it")
    .option("--not-me", "\"this wasn't me\": your signed-in clients are told, and logins are not pushed to your devices for 30 minutes")
    .option("--account <account>", ACCOUNT_OPTION_HELP)
    .action(async (challengeId: string, _local: unknown, command: Command) => {
      const options = optionsOf<DecisionOptions>(command);
      const account = selectAccount(await readAccounts(dataFileFor(options)), options.account);
      await withPairedSocket(account, async (call) => {
        const result = await denyChallenge(account, call, challengeId, options.notMe === true);
        if (!result.ok) throw result.failure;
        const held = result.pushesHeldUntil ? ` Reported as not you: logins are not pushed to your devices until ${result.pushesHeldUntil}.` : "";
        printResult(options, { challengeId, denied: true, ...(result.pushesHeldUntil ? { pushesHeldUntil: result.pushesHeldUntil } : {}) }, `Denied login request ${challengeId}.${held}`);
      });
    });
}

function notWaiting(challengeId: string, label: string): CliFailure {
  return new CliFailure(
    "challenge_not_found",
    `No login request ${challengeId} is waiting for ${label}: it may have been answered, or have expired. \`pairgate-device watch\` shows requests as they arrive.`,
    EXIT_CODES.failure,
  );
}
