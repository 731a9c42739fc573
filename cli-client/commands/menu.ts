import type { ExitCode } from "../../terminal/exit-codes.ts";
import { homePaths } from "../../terminal/home.ts";
import { separator } from "../../terminal/inquirer.ts";
import { promptChoice } from "../prompts.ts";
import { loadSession } from "../session-file.ts";
import { commandLineFor, MENU_SECTIONS, type MenuAction } from "./menu-actions.ts";

/** Made when the menu opens, so that a run with a command never loads the prompts. */
function menuChoices() {
  return [
    ...Object.entries(MENU_SECTIONS).flatMap(([heading, choices]) => [separator(`-- ${heading} --`), ...choices]),
    separator(" "),
    { name: "Quit", value: "quit" as const },
  ];
}

/**
 * The interactive menu shown when `pairgate` starts on a terminal with no command. Each
 * choice runs the same command line a person could type, so the menu adds no behaviour of its own.
 */
export async function runMenu(runCommandLine: (args: string[]) => Promise<ExitCode>): Promise<void> {
  try {
    const choices = menuChoices();
    for (;;) {
      const session = await loadSession(homePaths());
      const status = session ? `logged in as ${session.username} at ${session.hub}` : "not logged in";
      const action: MenuAction | "quit" = await promptChoice(`PairGate (${status}). What would you like to do?`, choices);
      if (action === "quit") return;
      const args = await commandLineFor(action);
      if (args.length > 0) await runCommandLine(args);
      process.stderr.write("\n");
    }
  } catch (error) {
    // Ctrl+C at one of the menu's own prompts leaves the menu; a command's prompts are handled by the command.
    if (error instanceof Error && error.name === "ExitPromptError") return;
    throw error;
  }
}
