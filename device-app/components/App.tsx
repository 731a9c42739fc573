import { Text, useApp } from "ink";
import { useState } from "react";
import { asCliFailure } from "../../terminal/cli-failure.ts";
import { accountLabel } from "../account-selection.ts";
import { approveChallenge, type DecisionResult, denyChallenge } from "../challenge-decisions.ts";
import type { InboxChallenge } from "../challenge-inbox.ts";
import type { DeviceCaller } from "../device-hub.ts";
import { describeTakeFailure } from "../device-messages.ts";
import { takeNextCode } from "../hotp-codes.ts";
import { forgetImportedCode, importText, takeImportedCode } from "../imported-actions.ts";
import { useChallenges } from "../hooks/use-challenges.ts";
import { useNow } from "../hooks/use-countdown.ts";
import { useHubConnections } from "../hooks/use-hub-connections.ts";
import { useOtpData } from "../hooks/use-otp-data.ts";
import { type DeviceAccount, describeOtpDataProblem, describeWrongPassphrase, forgetRevokedAccount, markAccountRevoked, type OtpDataFile } from "../otp-data.ts";
import { pairDevice } from "../pairing.ts";
import { AccountsScreen, type CodeOutcome } from "./AccountsScreen.tsx";
import type { ActionOutcome } from "./ChallengeInbox.tsx";
import { DataProblemScreen } from "./DataProblemScreen.tsx";
import { type PairOutcome, PairingScreen, type PairingRequestInput } from "./PairingScreen.tsx";
import { ImportScreen } from "./ImportScreen.tsx";
import { KeyRouter } from "../hooks/use-keys.ts";
import { type PassphraseOutcome, PassphraseScreen } from "./PassphraseScreen.tsx";
import { deriveNewSealKey } from "../sealed-data.ts";
import { type UnlockOutcome, UnlockScreen } from "./UnlockScreen.tsx";

export interface AppProps {
  dataFile: OtpDataFile;
  /** Prefilled in the pairing screen: `--hub`, PAIRGATE_HUB, or the default. */
  defaultHub: string;
  /** `--ca` as given, for pairing; undefined means the usual lookup. */
  caFile: string | undefined;
  defaultDeviceName: string;
}

/** The authenticator: its screens, with the keys routed to whichever one is drawn. */
export function App(props: AppProps) {
  return (
    <KeyRouter>
      <Screens {...props} />
    </KeyRouter>
  );
}

/** Chooses the screen and connects the screens to the data file and the hubs. */
function Screens({ dataFile, defaultHub, caFile, defaultDeviceName }: AppProps) {
  const { exit } = useApp();
  const { state, reload } = useOtpData(dataFile);
  const [pairing, setPairing] = useState(false);
  const [importing, setImporting] = useState(false);
  // Whether the file was sealed when the passphrase screen opened; undefined while it is closed.
  const [passphraseOf, setPassphraseOf] = useState<{ sealed: boolean } | undefined>(undefined);
  // On first run pairing is offered, but someone who only wants codes of other services may skip it.
  const [pairingSkipped, setPairingSkipped] = useState(false);
  const [banner, setBanner] = useState<string | undefined>(undefined);
  const now = useNow();
  const inbox = useChallenges(now);
  const accounts = state.status === "ready" ? state.accounts : [];
  const imported = state.status === "ready" ? state.imported : [];

  const connections = useHubConnections(accounts, {
    challengesListed: (account, challenges) => inbox.dispatch({ type: "listed", accountId: account.id, challenges }),
    challengeNew: (account, challenge) => inbox.dispatch({ type: "added", accountId: account.id, challenge }),
    challengeClosed: (_account, closed) => inbox.dispatch({ type: "closed", ...closed, at: Date.now() }),
    revoked: (account, cause) => {
      inbox.dispatch({ type: "accountGone", accountId: account.id });
      // A refused token alone is not proof of unpairing (the hub may have lost its database for a
      // while), so only the hub's explicit device:revoked flags the account in the file.
      if (cause === "token_refused") return setBanner(`The hub at ${account.hub} refused this device's token for ${account.username}.`);
      setBanner(`The hub unpaired this device for ${accountLabel(account)}.`);
      void markAccountRevoked(dataFile, account.id).then(reload, (error: unknown) => setBanner(asCliFailure(error).message));
    },
    notice: (account, notice) => setBanner(`${accountLabel(account)}: ${notice.message}`),
    problem: (account, message) => setBanner(`${accountLabel(account)}: ${message}`),
  });

  if (state.status === "loading") return <Text color="gray">Reading {dataFile.path}…</Text>;
  if (state.status === "problem" && state.problem.locked) {
    const unlock = async (passphrase: string): Promise<UnlockOutcome> => {
      const unlocked = await dataFile.unlock(passphrase);
      if (!unlocked.ok) return { ok: false, message: unlocked.reason === "wrong_passphrase" ? describeWrongPassphrase(dataFile.path) : describeOtpDataProblem(unlocked.problem) };
      await reload();
      return { ok: true };
    };
    return <UnlockScreen path={dataFile.path} onUnlock={unlock} onQuit={exit} />;
  }
  if (state.status === "problem") return <DataProblemScreen problem={state.problem} onRetry={() => void reload()} onQuit={exit} />;

  const bind = async (request: PairingRequestInput): Promise<PairOutcome> => {
    try {
      const account = await pairDevice(dataFile, { hub: request.hub, ca: caFile, code: request.code, name: request.name });
      return { ok: true, username: account.username, hub: account.hub };
    } catch (error) {
      return { ok: false, message: asCliFailure(error).message };
    }
  };

  if (importing) {
    return <ImportScreen onImport={(text) => importText(dataFile, text, reload)} onBack={() => setImporting(false)} />;
  }

  if (passphraseOf) {
    const check = async (passphrase: string): Promise<PassphraseOutcome> => {
      const unlocked = await dataFile.unlock(passphrase);
      if (unlocked.ok) return { ok: true };
      return { ok: false, message: unlocked.reason === "wrong_passphrase" ? describeWrongPassphrase(dataFile.path) : describeOtpDataProblem(unlocked.problem) };
    };
    const save = async (passphrase: string | null): Promise<PassphraseOutcome> => {
      try {
        const saved = await dataFile.reseal(passphrase === null ? null : await deriveNewSealKey(passphrase));
        return saved.ok ? { ok: true } : { ok: false, message: describeOtpDataProblem(saved.problem) };
      } catch (error) {
        return { ok: false, message: asCliFailure(error).message };
      }
    };
    const done = (message: string | undefined) => {
      setPassphraseOf(undefined);
      if (message) setBanner(message);
    };
    return <PassphraseScreen path={dataFile.path} sealed={passphraseOf.sealed} onCheckCurrent={check} onSave={save} onDone={done} />;
  }

  const openPassphrase = async () => {
    const protection = await dataFile.protection();
    if (!protection.ok) return setBanner(describeOtpDataProblem(protection.problem));
    setPassphraseOf({ sealed: protection.sealed });
  };

  const firstRun = accounts.length === 0 && imported.length === 0 && !pairingSkipped;
  if (pairing || firstRun) {
    return (
      <PairingScreen
        defaultHub={defaultHub}
        defaultDeviceName={defaultDeviceName}
        onBind={bind}
        onPaired={(paired) => {
          setBanner(`Paired ${paired.username} @ ${paired.hub}.`);
          setPairing(false);
          void reload();
        }}
        onCancel={
          firstRun
            ? () => setPairingSkipped(true)
            : () => {
                setPairing(false);
              }
        }
      />
    );
  }

  const takeCode = async (account: DeviceAccount): Promise<CodeOutcome> => {
    try {
      const taken = await takeNextCode(dataFile, account);
      return taken.ok ? taken : { ok: false, message: describeTakeFailure(taken) };
    } catch (error) {
      return { ok: false, message: asCliFailure(error).message };
    }
  };

  type Send = (account: DeviceAccount, call: DeviceCaller) => Promise<DecisionResult>;
  const decide = async (challenge: InboxChallenge, send: Send, outcome: "approved" | "denied"): Promise<ActionOutcome> => {
    const account = accounts.find((candidate) => candidate.id === challenge.accountId);
    const call = connections.callerFor(challenge.accountId);
    if (!account || !call) return { ok: false, message: "Not connected to this account's hub right now; wait for it to reconnect." };
    try {
      const result = await send(account, call);
      if (!result.ok) return { ok: false, message: result.failure.message };
      if (result.pushesHeldUntil) {
        const until = new Date(result.pushesHeldUntil).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
        setBanner(`Reported as not you. Logins for ${challenge.username} are not sent here until ${until}; whoever tried knows the password: change it.`);
      }
      inbox.dispatch({ type: "closed", challengeId: challenge.challengeId, outcome, at: Date.now() });
      return { ok: true };
    } catch (error) {
      return { ok: false, message: asCliFailure(error).message };
    }
  };

  return (
    <AccountsScreen
      accounts={accounts}
      statuses={connections.statuses}
      challenges={inbox.challenges}
      notes={inbox.notes}
      now={now}
      banner={banner}
      onTakeCode={takeCode}
      onApprove={(challenge, number) => decide(challenge, (account, call) => approveChallenge(dataFile, account, call, challenge.challengeId, number), "approved")}
      onDeny={(challenge, notMe) => decide(challenge, (account, call) => denyChallenge(account, call, challenge.challengeId, notMe), "denied")}
      onPair={() => setPairing(true)}
      onForget={async (account) => {
        try {
          const saved = await forgetRevokedAccount(dataFile, account.id);
          reload();
          return saved.ok ? { ok: true } : { ok: false, message: describeOtpDataProblem(saved.problem) };
        } catch (error) {
          return { ok: false, message: asCliFailure(error).message };
        }
      }}
      imported={imported}
      onTakeImportedCode={(code) => takeImportedCode(dataFile, code, reload)}
      onImport={() => setImporting(true)}
      onForgetImported={(code) => forgetImportedCode(dataFile, code, reload)}
      onPassphrase={() => void openPassphrase()}
      onQuit={exit}
    />
  );
}
