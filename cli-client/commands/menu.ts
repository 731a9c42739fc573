import { confirm, input } from "@inquirer/prompts";
import type { ExitCode } from "../../terminal/exit-codes.ts";
import { homePaths } from "../../terminal/home.ts";
import { PROMPT_CONTEXT, promptChoice } from "../prompts.ts";
import { loadSession } from "../session-file.ts";

type MenuAction =
  | "whoami"
  | "login"
  | "register"
  | "sessions"
  | "revoke"
  | "pair-device"
  | "devices"
  | "rename-device"
  | "unpair-device"
  | "audit"
  | "passwd"
  | "generate"
  | "show"
  | "logout"
  | "quit";

const MENU_CHOICES: { name: string; value: MenuAction }[] = [
  { name: "Who am I?", value: "whoami" },
  { name: "Log in", value: "login" },
  { name: "Register an account", value: "register" },
  { name: "List my sessions", value: "sessions" },
  { name: "End one of my sessions", value: "revoke" },
  { name: "Pair a new device", value: "pair-device" },
  { name: "List my paired devices", value: "devices" },
  { name: "Rename a paired device", value: "rename-device" },
  { name: "Unpair a device", value: "unpair-device" },
  { name: "Show my security events", value: "audit" },
  { name: "Change my password", value: "passwd" },
  { name: "Generate this machine's key pair", value: "generate" },
  { name: "Show this machine's public key", value: "show" },
  { name: "Log out", value: "logout" },
  { name: "Quit", value: "quit" },
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
      const action = await promptChoice(`PairGate (${status}). What would you like to do?`, MENU_CHOICES);
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

async function commandLineFor(action: Exclude<MenuAction, "quit">): Promise<string[]> {
  switch (action) {
    case "generate": {
      const protect = await confirm({ message: "Protect the private key with a passphrase?", default: true }, PROMPT_CONTEXT);
      return protect ? ["keys", "generate", "--passphrase"] : ["keys", "generate"];
    }
    case "show":
      return ["keys", "show"];
    case "revoke": {
      const id = await input({ message: "Session id (from the session list):" }, PROMPT_CONTEXT);
      return id.trim() ? ["sessions", "revoke", id.trim()] : [];
    }
    case "pair-device": {
      const name = await input({ message: "Name for the device (empty: the name the authenticator gives):" }, PROMPT_CONTEXT);
      return name.trim() ? ["device", "add", "--name", name.trim()] : ["device", "add"];
    }
    case "devices":
      return ["device", "list"];
    case "rename-device": {
      const id = await input({ message: "Device id (from the device list):" }, PROMPT_CONTEXT);
      if (!id.trim()) return [];
      const name = await input({ message: "New name:", required: true }, PROMPT_CONTEXT);
      return ["device", "rename", id.trim(), name.trim()];
    }
    case "unpair-device": {
      // `device revoke` asks for confirmation itself, naming the device.
      const id = await input({ message: "Device id (from the device list):" }, PROMPT_CONTEXT);
      return id.trim() ? ["device", "revoke", id.trim()] : [];
    }
    default:
      return [action];
  }
}
