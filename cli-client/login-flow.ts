import { input } from "../terminal/inquirer.ts";
import { type Ack, type EventInput, type EventReply, loginKeyProofMessage, loginSignatureMessage } from "#protocol";
import { CliFailure } from "../terminal/cli-failure.ts";
import { EXIT_CODES } from "../terminal/exit-codes.ts";
import type { ClientConnection } from "../terminal/hub-connection.ts";
import { CODE_RULES, normaliseCode } from "./code-options.ts";
import { expectData } from "./hub-access.ts";
import { type PrivateKey, publicKeyFingerprint, publicKeyPemOf, signMessage } from "./keys.ts";
import { askRecoveryCodeWhileLocked, awaitSecondFactor, type OpenChallenge, type SecondFactor } from "./second-factor.ts";
import { describeProtocolError } from "./messages.ts";
import { hasTerminal, PROMPT_CONTEXT } from "../terminal/hidden-input.ts";

/** The codes a login may bring from the command line; the emailed one only adds a new machine's key. */
export interface GivenProof extends SecondFactor {
  emailCode?: string;
}

export interface LoginRequest {
  username: string;
  password: string;
  clientName?: string;
  privateKey: PrivateKey;
  given: GivenProof;
}

type Completion = SecondFactor & { emailCode?: string };

/**
 * Password, then the signed challenge with its second factor. The public key always goes along:
 * the hub ignores it for a key it knows, and for a machine new to the account it answers
 * `key_verification_required` without spending the challenge, so the same challenge is
 * completed again with the proof it asks for (docs/SECURITY.md, "A new machine").
 */
export async function logInOnHub(connection: ClientConnection, request: LoginRequest): Promise<EventReply<"auth:complete">> {
  const keyProof = signKeyProof(request.privateKey, request.username);
  const started = await connection.call("auth:login", { username: request.username, password: request.password, clientName: request.clientName, keyProof });
  if (!started.ok && started.error.code === "email_not_verified") throw emailNotVerified(request.username);
  const opened = expectData(started);
  const hasDevice = opened.factors.includes("otp");
  const signature = signMessage(request.privateKey, loginSignatureMessage(opened.challengeId, opened.nonce));
  const publicKey = publicKeyPemOf(request.privateKey);
  // The device is asked only when the person will answer there: a code given up front needs no push.
  const challenge: OpenChallenge = hasDevice && waitsForDevice(request.given, opened) ? await askDevices(connection, opened, signature, publicKey) : opened;
  const proof: Completion = hasDevice ? await awaitSecondFactor(connection, challenge, request.given) : proofWithoutDevice(request.given);

  const base = { challengeId: challenge.challengeId, signature, clientName: request.clientName, publicKey };
  const complete = (completion: Completion) => connection.call("auth:complete", { ...base, ...completion });
  const first = await completeAskingAgain(connection, challenge, complete, proof);
  if (first.ok || first.error.code !== "key_verification_required") return expectData(first);

  process.stderr.write("This machine's key is new to your account; the hub adds it once you give a second proof.\n");
  // A code given up front was refused for a new key: now the device may be asked, shown as a new machine.
  const asked = hasDevice && challenge.numberMatch === undefined && !challenge.pushLimited ? await askDevices(connection, challenge, signature, publicKey) : challenge;
  const second: Completion = hasDevice ? await awaitSecondFactor(connection, asked) : await askEmailedCode();
  return expectData(await completeAskingAgain(connection, challenge, complete, second));
}


type OpenedLogin = EventReply<"auth:login">;

/** Whether this login will wait for the device: no code was given up front, and a device can answer. */
function waitsForDevice(given: GivenProof, opened: OpenedLogin): boolean {
  if (given.otp !== undefined || given.recoveryCode !== undefined) return false;
  if (!opened.deviceKinds.includes("pairgate")) return false;
  return !opened.otpLockedUntil && !opened.otpNeedsOwnerUnlock;
}

/**
 * auth:prove-key: the signature (and this machine's public key, which the hub ignores for a key it
 * knows) makes the hub ask the paired devices, and answers the number to show.
 */
async function askDevices<C extends { challengeId: string }>(connection: ClientConnection, challenge: C, signature: string, publicKey: string) {
  const proven = expectData(await connection.call("auth:prove-key", { challengeId: challenge.challengeId, signature, publicKey }));
  return { ...challenge, ...proven };
}

/**
 * On a terminal, a wrong code is asked again while the hub says this login has tries left, and a
 * device that locks meanwhile is answered with a recovery code: the password is not asked again.
 */
async function completeAskingAgain(
  connection: ClientConnection,
  challenge: OpenChallenge,
  complete: (completion: Completion) => Promise<Ack<EventReply<"auth:complete">>>,
  proof: Completion,
): Promise<Ack<EventReply<"auth:complete">>> {
  for (let completion = proof; ; ) {
    const answer = await complete(completion);
    if (answer.ok || !hasTerminal()) return answer;
    const { error } = answer;
    if (error.code === "otp_locked") {
      // No retryAfterSeconds: the lock ends only when its owner unlocks it.
      const until = error.retryAfterSeconds === undefined ? null : new Date(Date.now() + error.retryAfterSeconds * 1000).toISOString();
      completion = await askRecoveryCodeWhileLocked(until, error.deviceKinds ?? challenge.deviceKinds);
    } else if ((error.code === "invalid_otp" || error.code === "invalid_code") && (error.triesLeft ?? 0) > 0) {
      process.stderr.write(`${describeProtocolError(error)}\n`);
      completion = await awaitSecondFactor(connection, challenge, {}, true);
    } else return answer;
  }
}

/**
 * Shows the hub, with the password, that this machine holds a key the account knows, so that
 * strangers' failed guesses elsewhere do not lock it out; a machine new to the account sends it
 * too, and the hub ignores it (docs/SECURITY.md, "Known-key logins").
 */
export function signKeyProof(privateKey: PrivateKey, username: string, now = new Date()): NonNullable<EventInput<"auth:login">["keyProof"]> {
  const timestamp = now.toISOString();
  return { fingerprint: publicKeyFingerprint(publicKeyPemOf(privateKey)), timestamp, signature: signMessage(privateKey, loginKeyProofMessage(username, timestamp)) };
}

/** With no device, a recovery code or the emailed code may stand beside the key from the start. */
export function proofWithoutDevice(given: GivenProof): Completion {
  if (given.recoveryCode !== undefined) return { recoveryCode: given.recoveryCode };
  if (given.emailCode !== undefined) return { emailCode: given.emailCode };
  return {};
}

/** A code typed for adding a key: the emailed digits, else a recovery code. */
export function readKeyProof(raw: string): Completion | undefined {
  const emailCode = normaliseCode("emailCode", raw);
  if (emailCode !== undefined) return { emailCode };
  const recoveryCode = normaliseCode("recoveryCode", raw);
  return recoveryCode === undefined ? undefined : { recoveryCode };
}

async function askEmailedCode(): Promise<Completion> {
  if (!hasTerminal()) throw keyCodeNeeded();
  process.stderr.write("The hub emailed a code to the account's address for adding this machine.\n");
  const validate = (value: string) => readKeyProof(value) !== undefined || `${CODE_RULES.emailCode.rule}, or a recovery code (XXXXX-XXXXX)`;
  const typed = await input({ message: "Code from the email (or a recovery code):", validate }, PROMPT_CONTEXT);
  return readKeyProof(typed)!;
}

function keyCodeNeeded(): CliFailure {
  return new CliFailure(
    "key_verification_required",
    "This machine's key is new to the account, so the hub emailed a code to the account's address for adding it. " +
      "Log in again with --email-code CODE (or with --recovery-code CODE).",
    EXIT_CODES.notAuthenticated,
  );
}

function emailNotVerified(username: string): CliFailure {
  return new CliFailure(
    "email_not_verified",
    `The email address of ${username} is not confirmed yet. Run \`pairgate verify-email --username ${username}\` with the code the hub emailed ` +
      `at registration (\`pairgate resend-verification --username ${username}\` sends a new one), then log in again.`,
    EXIT_CODES.notAuthenticated,
  );
}
