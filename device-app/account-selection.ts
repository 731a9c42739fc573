import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import type { DeviceAccount } from "./otp-data.ts";

/** How accounts are named to people and in `--account`: `alice@127.0.0.1:8443`. */
export function accountLabel(account: Pick<DeviceAccount, "username" | "hub">): string {
  return `${account.username}@${new URL(account.hub).host}`;
}

/** An account as `list` and `--json` show it: never its secret or its token. */
export function publicAccountView(account: DeviceAccount) {
  const { id, username, hub, ca, deviceName, counter, addedAt, revokedAt } = account;
  return { id, username, hub, ca, deviceName, counter, addedAt, revokedAt, label: accountLabel(account) };
}

/**
 * The one account a command acts on. `--account` may be a username, `username@host:port`,
 * `username@https://host:port`, or a device id; without it there must be only one paired account.
 */
export function selectAccount(accounts: DeviceAccount[], selector: string | undefined): DeviceAccount {
  if (accounts.length === 0) throw noAccounts();
  const matching = selector === undefined ? accounts : accounts.filter((account) => matches(account, selector));
  // A name shared with an unpaired account means the one still paired; an unpaired one alone is named to say so.
  const paired = matching.filter((account) => !account.revokedAt);
  const candidates = paired.length > 0 || selector === undefined ? paired : matching;
  if (candidates.length === 0) {
    if (selector === undefined) throw revoked(accounts[0] as DeviceAccount);
    throw usage(`No account matches "${selector}". Accounts here: ${accounts.map(accountLabel).join(", ")}.`);
  }
  if (candidates.length > 1) {
    const which = selector === undefined ? "There are several accounts" : `Several accounts match "${selector}"`;
    throw usage(`${which}: ${candidates.map(accountLabel).join(", ")}. Choose one with --account.`);
  }
  const account = candidates[0] as DeviceAccount;
  if (account.revokedAt) throw revoked(account);
  return account;
}

/** The accounts `watch` follows: the one named, or every account still paired. */
export function selectWatchedAccounts(accounts: DeviceAccount[], selector: string | undefined): DeviceAccount[] {
  if (selector !== undefined) return [selectAccount(accounts, selector)];
  const paired = accounts.filter((account) => !account.revokedAt);
  if (paired.length === 0) throw accounts.length === 0 ? noAccounts() : revoked(accounts[0] as DeviceAccount);
  return paired;
}

function matches(account: DeviceAccount, selector: string): boolean {
  const wanted = selector.trim().toLowerCase();
  if (account.id === selector.trim()) return true;
  if (account.username === wanted) return true;
  const at = wanted.lastIndexOf("@");
  if (at < 0 || wanted.slice(0, at) !== account.username) return false;
  const hub = wanted.slice(at + 1);
  return hub === new URL(account.hub).host || hub === account.hub.toLowerCase();
}

function noAccounts(): CliFailure {
  return new CliFailure("no_accounts", "This authenticator has no accounts yet. Pair one with `pairgate-device bind CODE`.", EXIT_CODES.notAuthenticated);
}

function revoked(account: DeviceAccount): CliFailure {
  return new CliFailure("revoked", `The device for ${accountLabel(account)} was unpaired from the hub; its codes no longer work.`, EXIT_CODES.notAuthenticated);
}

function usage(message: string): CliFailure {
  return new CliFailure("usage", message, EXIT_CODES.usage);
}
