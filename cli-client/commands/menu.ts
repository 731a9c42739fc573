import { Separator } from "@inquirer/prompts";
import type { ExitCode } from "../../terminal/exit-codes.ts";
import { homePaths } from "../../terminal/home.ts";
import { promptChoice } from "../prompts.ts";
import { loadSession } from "../session-file.ts";
import { commandLineFor, MENU_SECTIONS, type MenuAction } from "./menu-actions.ts";

const MENU_CHOICES = [
  ...Object.entries(MENU_SECTIONS).flatMap(([heading, choices]) => [new Separator(`-- ${heading} --`), ...choices]),
  new Separator(" "),
  { name: "Quit", value: "quit" as const },
];

/**
 * The interactive menu shown when `pairgate` starts on a terminal with no command. Each
 * choice runs the same command line a person could type, so the menu adds no behaviour of its own.
 */
export async function runMenu(runCommandLine: (args: string[]) => Promise<ExitCode>): Promise<void> {
  try {
    for (;;) {
      const session = await loadSession(homePaths());
      const status = session ? `logged in as ${session.username} at ${session.hub}` : "not logged in";
      const action: MenuAction | "quit" = await promptChoice(`PairGate (${status}). What would you like to do?`, MENU_CHOICES);
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
