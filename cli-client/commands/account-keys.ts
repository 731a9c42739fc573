import type { Command } from "commander";
import type { EventReply } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { homePaths } from "../../terminal/home.ts";
import type { ClientConnection } from "../../terminal/hub-connection.ts";
import { formatTable, formatTime, printResult } from "../../terminal/output.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { callWithFreshProof, PASSWORD_STDIN_HELP, type FreshProofOptions } from "../fresh-proof.ts";
import { loadPublicKeyPem, publicKeyFingerprint } from "../keys.ts";
import { clientFailures } from "../messages.ts";
import { hasTerminal } from "../../terminal/hidden-input.ts";
import { promptConfirm } from "../prompts.ts";

type AccountKey = EventReply<"key:list">["keys"][number] & { thisMachine: boolean };

const CONFIRM_HINT = "Pass --yes to remove the key without asking.";

/** `keys list` and `keys remove`: the account's keys at the hub, one per machine, beside `keys generate|show` for this machine's. */
export function addAccountKeyCommands(keys: Command): void {
  keys
    .command("list")
    .description("the public keys of your account at the hub, one per machine you log in from (* marks this machine's)")
    .action((_options, command: Command) => listKeys(command));
  keys
    .command("remove")
    .description("remove another machine's key from your account; the sessions it opened end")
    .argument("<id>", "the key id, as `pairgate keys list` shows it")
    .option("--yes", "do not ask for confirmation (needed without a terminal)")
    .option("--password-stdin", PASSWORD_STDIN_HELP)
    .action((id: string, _options, command: Command) => removeKey(id, command));
}

/** The hub's list, each key marked when it is this machine's (same fingerprint, or the key of this session). */
export function markThisMachine(keys: EventReply<"key:list">["keys"], localFingerprint: string | undefined): AccountKey[] {
  return keys.map((key) => ({ ...key, thisMachine: key.fingerprint === localFingerprint || key.current }));
}

async function accountKeys(connection: ClientConnection): Promise<AccountKey[]> {
  const local = await loadPublicKeyPem(homePaths());
  const { keys } = expectData(await connection.call("key:list", {}));
  return markThisMachine(keys, local === undefined ? undefined : publicKeyFingerprint(local));
}

async function listKeys(command: Command): Promise<void> {
  const options = optionsOf(command);
  const keys = await withLoggedInHub(options, ({ connection }) => accountKeys(connection));
  const rows = keys.map((key) => [
    key.thisMachine ? `${key.id} *` : key.id,
    `${key.fingerprint.slice(0, 32)}…`,
    formatTime(key.createdAt),
    key.lastUsedAt ? formatTime(key.lastUsedAt) : "never",
  ]);
  const table = formatTable(["ID", "FINGERPRINT (SHA-256)", "ADDED", "LAST USED"], rows);
  printResult(options, { keys }, [...table, "", `${keys.length} key${keys.length === 1 ? "" : "s"}; * marks this machine's.`]);
}

async function removeKey(keyId: string, command: Command): Promise<void> {
  const options = optionsOf<{ yes?: boolean } & FreshProofOptions>(command);
  if (!options.yes && !hasTerminal()) throw clientFailures.needsTerminal("confirmation", CONFIRM_HINT);
  const result = await withLoggedInHub(options, async ({ connection }) => {
    const keys = await accountKeys(connection);
    const key = keys.find((candidate) => candidate.id === keyId);
    if (!key) throw refusal("not_found", "This account has no key with that id. Run `pairgate keys list` to list them.");
    if (key.thisMachine) throw refusal("forbidden", "That is this machine's key: remove it from another machine, or log out here instead.");
    if (keys.length === 1) throw refusal("forbidden", "That is the account's only key: log in from another machine first, so that its key is added.");
    const question = `Remove key ${key.id}? Its machine can no longer log in.`;
    if (!options.yes && !(await promptConfirm(question, CONFIRM_HINT))) throw refusal("cancelled", "Nothing was changed: the key stays on the account.");
    return { key, ...expectData(await callWithFreshProof(connection, options, "key:remove", { keyId })) };
  });
  const ended = result.sessionsEnded;
  const sessions = ended === 0 ? "it had no open session" : `${ended} session${ended === 1 ? "" : "s"} it opened ended`;
  printResult(options, { removed: true, keyId, sessionsEnded: ended }, `Removed the key ${keyId} from your account; ${sessions}.`);
}

function refusal(code: string, sentence: string): CliFailure {
  return new CliFailure(code, sentence, EXIT_CODES.failure);
}
