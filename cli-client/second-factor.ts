import { input } from "../terminal/inquirer.ts";
import { devicesInWords, LOGIN_CHALLENGE_TTL_SECONDS, type DeviceKind, type EventReply } from "#protocol";
import { bigNumber } from "./big-number.ts";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR, EXIT_CODES } from "../terminal/exit-codes.ts";
import { formatTime } from "../terminal/output.ts";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { CODE_RULES, normaliseCode } from "./code-options.ts";
import { clientFailures, failureFromProtocolError } from "./messages.ts";
import { hasTerminal, PROMPT_CONTEXT, promptSecret } from "../terminal/hidden-input.ts";

/**
 * What `auth:complete` (or `password:reset`) needs besides the rest: the device's code, one of
 * the account's recovery codes instead, or nothing once the device approved.
 */
export interface SecondFactor {
  otp?: string;
  recoveryCode?: string;
}

/** An open login, with what `auth:prove-key` answered when the devices were asked. */
export interface OpenChallenge {
  challengeId: string;
  expiresAt: string;
  /** The number the person types on the device; only when a device was asked. */
  numberMatch?: string;
  pushLimited?: EventReply<"auth:prove-key">["pushLimited"];
  otpLockedUntil?: string;
  otpNeedsOwnerUnlock?: true;
  /** The kinds of the account's devices; without `pairgate`, nothing is pushed and only a typed code passes. */
  deviceKinds?: DeviceKind[];
}

const TYPED_CODE_RULE = `${CODE_RULES.otp.rule}, or a recovery code (XXXXX-XXXXX)`;

/** A code typed at the one-time code prompt: the device's digits, else a recovery code. */
export function readTypedCode(raw: string): SecondFactor | undefined {
  const otp = normaliseCode("otp", raw);
  if (otp !== undefined) return { otp };
  const recoveryCode = normaliseCode("recoveryCode", raw);
  return recoveryCode === undefined ? undefined : { recoveryCode };
}

/**
 * Waits for the second factor of a login on an account with a paired device: the code given
 * with `--otp` or `--recovery-code`, else whichever comes first of the device's approval
 * (pushed by the hub) and, on a terminal, a code typed at a prompt (the device's, or a
 * recovery code for a lost device).
 */
export async function awaitSecondFactor(connection: ClientConnection, challenge: OpenChallenge, given: SecondFactor = {}, retrying = false): Promise<SecondFactor> {
  if (given.recoveryCode !== undefined) return { recoveryCode: checkCode("recoveryCode", given.recoveryCode) };
  if (challenge.otpNeedsOwnerUnlock) return askRecoveryCodeWhileLocked(null, challenge.deviceKinds);
  if (challenge.otpLockedUntil !== undefined) return askRecoveryCodeWhileLocked(challenge.otpLockedUntil, challenge.deviceKinds);
  if (given.otp !== undefined) return { otp: checkCode("otp", given.otp) };
  const pushed = challenge.numberMatch !== undefined;
  // No PairGate authenticator: the account's devices are all authenticator apps, which get no push.
  if (!pushed && !(challenge.deviceKinds ?? ["pairgate"]).includes("pairgate")) return askAppCode(challenge, retrying);
  if (!pushed && !hasTerminal()) throw notPushed(challenge);
  // Asked again after a wrong code: the person has read the whole sentence once already.
  if (!retrying) process.stderr.write(pushed ? approvalSentence(challenge.numberMatch!) : `${notPushedReason(challenge)} Type the device's current code below (or a recovery code, if you lost the device).\n`);

  const stop = new AbortController();
  // Nothing was sent to the device: no approval can come, only a typed code.
  const approval = pushed ? waitForApproval(connection, challenge, stop.signal) : new Promise<SecondFactor>(() => undefined);
  if (!hasTerminal()) return approval;
  const validate = (value: string) => readTypedCode(value) !== undefined || TYPED_CODE_RULE;
  const typed = input({ message: "One-time code:", validate }, { ...PROMPT_CONTEXT, signal: stop.signal }).then((code) => readTypedCode(code)!);
  // Whichever loses is cancelled by `stop` and rejects; that rejection is expected.
  approval.catch(() => undefined);
  typed.catch(() => undefined);
  try {
    return await Promise.race([approval, typed]);
  } finally {
    stop.abort();
  }
}

/** An account whose devices are standard authenticator apps: only a typed code can pass. */
async function askAppCode(challenge: OpenChallenge, retrying: boolean): Promise<SecondFactor> {
  const apps = (challenge.deviceKinds ?? []).filter((kind) => kind !== "pairgate").map((kind) => kind.toUpperCase());
  const which = apps.length > 0 ? `an authenticator app (${apps.join(", ")})` : "an authenticator app";
  if (!hasTerminal()) {
    throw new CliFailure("otp_required", `This account's second factor is ${which}: log in with --otp CODE, the code the app shows now (or --recovery-code XXXXX-XXXXX).`, EXIT_CODES.notAuthenticated);
  }
  if (!retrying) process.stderr.write(`This account's second factor is ${which}, which gets no login requests: type the code it shows now (or a recovery code, if you lost it).\n`);
  const validate = (value: string) => readTypedCode(value) !== undefined || TYPED_CODE_RULE;
  return readTypedCode(await input({ message: "Code from your authenticator app:", validate }, PROMPT_CONTEXT))!;
}

/**
 * Every paired device's code checks are locked after too many wrong codes: neither a code nor an
 * approval can pass until the lock ends, so only a recovery code is asked for (hidden).
 */
export async function askRecoveryCodeWhileLocked(lockedUntil: string | null, deviceKinds?: DeviceKind[]): Promise<SecondFactor> {
  const { noun, approves } = devicesInWords(deviceKinds);
  // null: locked after too many wrong codes in a row for any wait to end it; only the owner unlocks it.
  const why =
    lockedUntil === null
      ? `Too many wrong codes in a row: ${noun} is locked until you log in with a recovery code (which lifts the lock) or an administrator lifts it`
      : `Too many wrong codes: ${noun} is locked until ${formatTime(lockedUntil)}, so ${approves ? "neither its code nor an approval" : "none of its codes"} can pass. A recovery code still works`;
  const orWait = lockedUntil === null ? "or ask an administrator" : "or wait until then";
  if (!hasTerminal()) {
    throw new CliFailure("otp_locked", `${why}: log in with --recovery-code XXXXX-XXXXX, ${orWait}.`, EXIT_CODE_BY_ERROR.otp_locked ?? EXIT_CODES.failure);
  }
  process.stderr.write(`${why}: type one of your recovery codes, or press Ctrl+C (${orWait}).\n`);
  for (;;) {
    const recoveryCode = normaliseCode("recoveryCode", await promptSecret("Recovery code:", "Pass --recovery-code XXXXX-XXXXX."));
    if (recoveryCode !== undefined) return { recoveryCode };
    process.stderr.write(`Give ${CODE_RULES.recoveryCode.rule}.\n`);
  }
}

/** Where no approval can come (a password reset): the device's code or a recovery code, typed hidden. */
export async function promptDeviceCode(alternative: string): Promise<SecondFactor> {
  for (;;) {
    const typed = readTypedCode(await promptSecret("Device code (or a recovery code):", alternative));
    if (typed) return typed;
    process.stderr.write(`Give ${TYPED_CODE_RULE}.\n`);
  }
}

function waitForApproval(connection: ClientConnection, challenge: OpenChallenge, signal: AbortSignal): Promise<SecondFactor> {
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void) => {
      clearTimeout(expiry);
      stopApproved();
      stopDenied();
      outcome();
    };
    const stopApproved = connection.onPush("challenge:approved", ({ challengeId }) => {
      if (challengeId === challenge.challengeId) finish(() => resolve({}));
    });
    const stopDenied = connection.onPush("challenge:denied", ({ challengeId, reason }) => {
      if (challengeId !== challenge.challengeId) return;
      finish(() => reject(deniedOnDevice(reason)));
    });
    // A clock behind the hub's would make the challenge look expired already; the hub has the last word.
    const untilExpiryMs = Date.parse(challenge.expiresAt) - Date.now();
    const waitMs = untilExpiryMs > 0 ? untilExpiryMs : LOGIN_CHALLENGE_TTL_SECONDS * 1000;
    const expired = () => reject(failureFromProtocolError({ code: "challenge_expired", message: "" }));
    const expiry = setTimeout(() => finish(expired), waitMs);
    signal.addEventListener("abort", () => finish(() => reject(signal.reason)), { once: true });
  });
}

/** The number, large, and what to do with it. */
function approvalSentence(numberMatch: string): string {
  const typing = hasTerminal() ? "Or type the device's current code below (or a recovery code, if you lost the device)." : "";
  return [
    "Your paired device was asked to approve this login. Type this number on it:",
    "",
    ...bigNumber(numberMatch),
    "",
    `    (the number ${numberMatch})`,
    "",
    ...(typing ? [typing] : []),
    "",
  ].join("\n");
}

/** Why the hub did not ask the device, as a sentence. */
function notPushedReason(challenge: OpenChallenge): string {
  const limited = challenge.pushLimited;
  if (limited?.reason === "held_not_me") {
    const until = formatTime(new Date(Date.now() + limited.retryAfterSeconds * 1000).toISOString());
    return `The hub is not sending logins to your device until ${until}: a login was reported there as "this wasn't me".`;
  }
  if (limited?.reason === "too_many") return `The hub did not send this login to your device: too many requests lately (again in ${limited.retryAfterSeconds} s).`;
  return "The hub did not send this login to your device.";
}

function notPushed(challenge: OpenChallenge): CliFailure {
  return new CliFailure("otp_required", `${notPushedReason(challenge)} Log in again with --otp CODE (the device's current code) or --recovery-code CODE.`, EXIT_CODE_BY_ERROR.otp_required ?? EXIT_CODES.notAuthenticated);
}

function deniedOnDevice(reason: "denied" | "wrong_number" | "not_me"): CliFailure {
  if (reason === "denied") return failureFromProtocolError({ code: "challenge_denied", message: "" });
  const sentence =
    reason === "wrong_number"
      ? "The login was refused on the device: the number typed there was not the one shown here. Log in again."
      : 'The login was refused on the device as "this wasn\'t me", and logins are not sent to the device for a while. If it was you, log in again with the device\'s code (--otp).';
  return new CliFailure("challenge_denied", sentence, EXIT_CODE_BY_ERROR.challenge_denied);
}

function checkCode(kind: "otp" | "recoveryCode", raw: string): string {
  const code = normaliseCode(kind, raw);
  const what = kind === "otp" ? "one-time code" : "recovery code";
  if (code === undefined) throw clientFailures.badInput(`The ${what} must be ${CODE_RULES[kind].rule}.`);
  return code;
}
