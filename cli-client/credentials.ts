import { emailSchema, usernameSchema } from "#protocol";
import type { z } from "zod";
import type { HomePaths } from "../terminal/home.ts";
import { isEncryptedPrivateKey, loadPrivateKeyPem, openPrivateKey, type PrivateKey } from "./keys.ts";
import { clientFailures } from "./messages.ts";
import { judgePassword } from "../common/password-policy.ts";
import { promptNewSecret, promptSecret, readStdinLines } from "../terminal/hidden-input.ts";
import { promptText } from "./prompts.ts";

/** Lets scripts open an encrypted key without a terminal. */
export const KEY_PASSPHRASE_ENV = "PAIRGATE_KEY_PASSPHRASE";
const STDIN_HINT = "Pass it on standard input with --password-stdin.";

/** The username as the hub will store it; checked here so a typo fails before any password prompt. */
export async function askUsername(given: string | undefined): Promise<string> {
  const raw = given ?? (await promptText("Username:", "Pass --username."));
  return checkField("username", usernameSchema, raw);
}

export async function askEmail(given: string | undefined): Promise<string> {
  const raw = given ?? (await promptText("Email:", "Pass --email."));
  return checkField("email address", emailSchema, raw);
}

export async function askPassword(fromStdin: boolean | undefined): Promise<string> {
  if (fromStdin) return (await readStdinLines(1))[0] ?? "";
  return promptSecret("Password:", STDIN_HINT);
}

/** A new password, typed twice on a terminal. */
/** `context`: the username and email, which the password must not echo. */
export async function askNewPassword(fromStdin: boolean | undefined, label = "Password:", context: string[] = []): Promise<string> {
  if (fromStdin) return (await readStdinLines(1))[0] ?? "";
  return promptNewSecret(label, STDIN_HINT, (password) => passwordRefusal(password, context));
}

/** The policy's reasons, in words, for a password the hub would refuse. */
export function passwordRefusal(password: string, context: string[]): string | undefined {
  const verdict = judgePassword(password, context);
  return verdict.ok ? undefined : `That password would be refused: ${verdict.reasons.join(" ")} Choose another.`;
}

/** Current then new password: two lines with `--password-stdin`, else three hidden prompts. */
export async function askPasswordChange(fromStdin: boolean | undefined, context: string[] = []): Promise<{ currentPassword: string; newPassword: string }> {
  if (fromStdin) {
    const [currentPassword = "", newPassword = ""] = await readStdinLines(2);
    return { currentPassword, newPassword };
  }
  const hint = "Pass the current and the new password as two lines on standard input with --password-stdin.";
  const currentPassword = await promptSecret("Current password:", hint);
  const newPassword = await promptNewSecret("New password:", hint, (password) => passwordRefusal(password, context));
  return { currentPassword, newPassword };
}

/** This machine's private key file, read first so that a missing key is reported before any prompt. */
export async function requirePrivateKeyPem(paths: HomePaths): Promise<string> {
  const pem = await loadPrivateKeyPem(paths);
  if (pem === undefined) throw clientFailures.noKey(paths.home);
  return pem;
}

/**
 * The private key, ready to sign. An encrypted key takes its passphrase from
 * PAIRGATE_KEY_PASSPHRASE, else from a hidden prompt. Done before contacting the hub, so a
 * wrong passphrase does not spend a login attempt.
 */
export async function openSigningKey(pem: string): Promise<PrivateKey> {
  const passphrase = isEncryptedPrivateKey(pem) ? await askKeyPassphrase() : undefined;
  let key: PrivateKey | undefined;
  try {
    key = openPrivateKey(pem, passphrase);
  } catch {
    // node-forge's own words ("Invalid PEM formatted message") would not tell a person what to do.
    throw clientFailures.damagedKey();
  }
  if (!key) throw clientFailures.wrongPassphrase();
  return key;
}

function checkField(label: string, schema: z.ZodType<string>, raw: string): string {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const reasons = parsed.error.issues.map((issue) => issue.message).join("; ");
  throw clientFailures.badInput(`The ${label} "${raw}" is not valid: ${reasons}.`);
}

async function askKeyPassphrase(): Promise<string> {
  return process.env[KEY_PASSPHRASE_ENV] || promptSecret("Key passphrase:", `Set ${KEY_PASSPHRASE_ENV}.`);
}
