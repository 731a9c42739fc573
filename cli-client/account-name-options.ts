import { type Command, Option } from "commander";
import { clientFailures } from "./messages.ts";

/**
 * One vocabulary for naming the account: every command that takes a username takes it as
 * `--username` or `--login`, so a flag learned on one command works on the next.
 */
export function addUsernameOptions(command: Command, description = "the account name (asked for when missing)"): Command {
  return command.option("--username <name>", description).addOption(new Option("--login <name>", "the same as --username"));
}

/** The name given with either flag; two different names are a usage error. */
export function givenUsername(options: { username?: string; login?: string }): string | undefined {
  if (options.username !== undefined && options.login !== undefined && options.username !== options.login) {
    throw clientFailures.badInput(`--username ${options.username} and --login ${options.login} name different accounts; give one of them.`);
  }
  return options.username ?? options.login;
}
