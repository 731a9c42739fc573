import { confirm, input, select } from "../../terminal/inquirer.ts";
import { PROMPT_CONTEXT } from "../../terminal/hidden-input.ts";

/** Menu choices grouped under headings; each value is one action below. */
export const MENU_SECTIONS = {
  "Your account": [
    { name: "Who am I?", value: "whoami" },
    { name: "Log in", value: "login" },
    { name: "Log in with a recovery code (lost device)", value: "login-recovery" },
    { name: "Register an account", value: "register" },
    { name: "Confirm my email address with the emailed code", value: "verify-email" },
    { name: "Email me a new confirmation code", value: "resend-verification" },
    { name: "List my sessions", value: "sessions" },
    { name: "End one of my sessions", value: "revoke" },
    { name: "Show my security events", value: "audit" },
    { name: "Change my password", value: "passwd" },
    { name: "Forgot my password: email me a reset code", value: "password-forgot" },
    { name: "Reset my password with the emailed code", value: "password-reset" },
    { name: "Log out", value: "logout" },
  ],
  "Devices and keys": [
    { name: "Pair a new device", value: "pair-device" },
    { name: "List my devices", value: "devices" },
    { name: "Rename a device", value: "rename-device" },
    { name: "Unpair a device", value: "unpair-device" },
    { name: "Make recovery codes (for a lost device)", value: "recovery" },
    { name: "Generate this machine's key pair", value: "generate" },
    { name: "Show this machine's public key", value: "show" },
    { name: "List my account's keys (one per machine)", value: "account-keys" },
    { name: "Remove another machine's key", value: "remove-key" },
  ],
  Messages: [{ name: "Chat with another user", value: "chat" }],
  "Administration (admins only)": [
    { name: "List users", value: "admin-users" },
    { name: "Change a user's email or role", value: "admin-update" },
    { name: "Lock a user", value: "admin-lock" },
    { name: "Unlock a user", value: "admin-unlock" },
    { name: "Delete a user", value: "admin-delete" },
  ],
} as const;

export type MenuAction = (typeof MENU_SECTIONS)[keyof typeof MENU_SECTIONS][number]["value"];

const ask = (message: string) => input({ message }, PROMPT_CONTEXT).then((answer) => answer.trim());

/** Asks what the command needs and returns its arguments; empty when the person gave nothing. */
export async function commandLineFor(action: MenuAction): Promise<string[]> {
  switch (action) {
    case "generate": {
      const protect = await confirm({ message: "Protect the private key with a passphrase?", default: true }, PROMPT_CONTEXT);
      return protect ? ["keys", "generate", "--passphrase"] : ["keys", "generate"];
    }
    case "show":
      return ["keys", "show"];
    case "login-recovery": {
      const code = await ask("Recovery code (XXXXX-XXXXX):");
      return code ? ["login", "--recovery-code", code] : [];
    }
    case "revoke":
      // The command offers the sessions to pick from, described, rather than asking for an id.
      return ["sessions", "revoke"];
    case "password-forgot":
      return ["password", "forgot"];
    case "password-reset":
      return ["password", "reset"];
    case "recovery":
      return ["recovery", "generate"];
    case "pair-device": {
      const name = await ask("Name for the device (empty: the name the authenticator gives):");
      return name ? ["device", "add", "--name", name] : ["device", "add"];
    }
    case "devices":
      return ["device", "list"];
    case "rename-device": {
      const id = await ask("Device id (from the device list):");
      return id ? ["device", "rename", id, await ask("New name:")] : [];
    }
    case "unpair-device":
      // The command asks for confirmation itself, naming what it removes; so do `keys remove` and `admin delete`.
      return withId(await ask("Device id (from the device list):"), ["device", "revoke"]);
    case "account-keys":
      return ["keys", "list"];
    case "remove-key":
      return withId(await ask("Key id (from the list of your account's keys):"), ["keys", "remove"]);
    case "chat":
      return withId(await ask("Chat with (username):"), ["chat"]);
    default:
      return action.startsWith("admin-") ? adminCommandLine(action) : [action];
  }
}

async function adminCommandLine(action: MenuAction): Promise<string[]> {
  if (action === "admin-users") {
    const search = await ask("Search (part of a username or email; empty: everyone):");
    return search ? ["admin", "users", "--search", search] : ["admin", "users"];
  }
  const userId = await ask("User (username, email address or id):");
  if (!userId) return [];
  switch (action) {
    case "admin-update": {
      const what = await select({ message: "Change what?", choices: [{ value: "--email" }, { value: "--role" }] }, PROMPT_CONTEXT);
      const value = what === "--role" ? await select({ message: "Role:", choices: [{ value: "user" }, { value: "admin" }] }, PROMPT_CONTEXT) : await ask("New email:");
      return value ? ["admin", "update", userId, what, value] : [];
    }
    case "admin-lock": {
      const reason = await ask("Reason (optional):");
      return reason ? ["admin", "lock", userId, "--reason", reason] : ["admin", "lock", userId];
    }
    case "admin-unlock":
      return ["admin", "unlock", userId];
    default:
      return ["admin", "delete", userId];
  }
}

function withId(id: string, command: string[]): string[] {
  return id ? [...command, id] : [];
}
