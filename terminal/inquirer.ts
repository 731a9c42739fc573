import { createRequire } from "node:module";
import type * as Inquirer from "@inquirer/prompts";

const require = createRequire(import.meta.url);
let loaded: typeof Inquirer | undefined;

/**
 * @inquirer/prompts, loaded at the first prompt rather than when the client starts: it and its
 * eleven prompt packages took longer to load than all the rest of `pairgate --help`, and most
 * runs (--help, --json, scripts with --password-stdin) never prompt. Loaded with require, so that
 * these wrappers stay synchronous and return the prompts' own cancellable promises.
 */
function prompts(): typeof Inquirer {
  loaded ??= require("@inquirer/prompts") as typeof Inquirer;
  return loaded;
}

export const input: typeof Inquirer.input = (config, context) => prompts().input(config, context);
export const password: typeof Inquirer.password = (config, context) => prompts().password(config, context);
export const confirm: typeof Inquirer.confirm = (config, context) => prompts().confirm(config, context);
export const select: typeof Inquirer.select = (config, context) => prompts().select(config, context);

export type Separator = Inquirer.Separator;

/** A separator line in a choice list (`new Separator(text)` of @inquirer/prompts). */
export function separator(text?: string): Separator {
  return new (prompts().Separator)(text);
}
