import type { Command } from "commander";

/** Options every command accepts, defined once on the root program. */
export interface GlobalOptions {
  json?: boolean;
  /** From `--hub` or `PAIRGATE_HUB`; unset means "the logged-in hub, else the default". */
  hub?: string;
  /** From `--ca` or `PAIRGATE_CA`. */
  ca?: string;
}

/** The command's own options merged with the root program's, as commander parsed them. */
export function optionsOf<Local extends object>(command: Command): GlobalOptions & Local {
  return command.optsWithGlobals<GlobalOptions & Local>();
}
