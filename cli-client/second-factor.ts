import { input } from "@inquirer/prompts";
import { HOTP_DIGITS, LOGIN_CHALLENGE_TTL_SECONDS, otpSchema } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODE_BY_ERROR } from "../terminal/exit-codes.ts";
import type { HubConnection } from "../terminal/hub-connection.ts";
import { clientFailures, failureFromProtocolError } from "./messages.ts";
import { hasTerminal, PROMPT_CONTEXT } from "./prompts.ts";

/** What `auth:complete` needs besides the signature: a typed code, or nothing once the device approved. */
export interface SecondFactor {
  otp?: string;
}

interface OpenChallenge {
  challengeId: string;
  expiresAt: string;
  numberMatch?: string;
}

/**
 * Waits for the second factor of a login on an account with a paired device: the code given
 * with `--otp`, else whichever comes first of the device's approval (pushed by the hub) and,
 * on a terminal, the code typed at a prompt.
 */
export async function awaitSecondFactor(connection: HubConnection, challenge: OpenChallenge, givenOtp?: string): Promise<SecondFactor> {
  if (givenOtp !== undefined) return { otp: checkOtp(givenOtp) };
  const pick = challenge.numberMatch ? `, picking the number ${challenge.numberMatch}` : "";
  const typing = hasTerminal() ? ", or type its current code" : "";
  process.stderr.write(`This account has a paired device. Approve the login on it${pick}${typing}.\n`);

  const stop = new AbortController();
  const approval = waitForApproval(connection, challenge, stop.signal);
  if (!hasTerminal()) return approval;
  const validate = (value: string) => otpSchema.safeParse(value).success || `${HOTP_DIGITS} digits`;
  const typed = input({ message: "One-time code:", validate }, { ...PROMPT_CONTEXT, signal: stop.signal }).then((otp) => ({ otp: checkOtp(otp) }));
  // Whichever loses is cancelled by `stop` and rejects; that rejection is expected.
  approval.catch(() => undefined);
  typed.catch(() => undefined);
  try {
    return await Promise.race([approval, typed]);
  } finally {
    stop.abort();
  }
}

function waitForApproval(connection: HubConnection, challenge: OpenChallenge, signal: AbortSignal): Promise<SecondFactor> {
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
      finish(() => reject(reason === "wrong_number" ? wrongNumberPicked() : failureFromProtocolError({ code: "challenge_denied", message: "" })));
    });
    // A clock behind the hub's would make the challenge look expired already; the hub has the last word.
    const untilExpiryMs = Date.parse(challenge.expiresAt) - Date.now();
    const waitMs = untilExpiryMs > 0 ? untilExpiryMs : LOGIN_CHALLENGE_TTL_SECONDS * 1000;
    const expired = () => reject(failureFromProtocolError({ code: "challenge_expired", message: "" }));
    const expiry = setTimeout(() => finish(expired), waitMs);
    signal.addEventListener("abort", () => finish(() => reject(signal.reason)), { once: true });
  });
}

function wrongNumberPicked(): CliFailure {
  const sentence = "The login was refused on the device: the number picked there was not the one shown here. Log in again.";
  return new CliFailure("challenge_denied", sentence, EXIT_CODE_BY_ERROR.challenge_denied);
}

function checkOtp(raw: string): string {
  const parsed = otpSchema.safeParse(raw);
  if (!parsed.success) throw clientFailures.badInput(`The one-time code must be the ${HOTP_DIGITS} digits the device shows.`);
  return parsed.data;
}
