import { type Ack, type EventReply, STANDARD_ENROLMENT_TTL_SECONDS } from "#protocol";
import type { GlobalOptions } from "../../terminal/global-options.ts";
import type { ClientConnection } from "../../terminal/hub-connection.ts";
import { formatTime, printResultLine } from "../../terminal/output.ts";
import { formatWait } from "../../terminal/wait-time.ts";
import { CODE_RULES, normaliseCode } from "../code-options.ts";
import { callWithFreshProof, type FreshProofOptions } from "../fresh-proof.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { clientFailures, describeProtocolError } from "../messages.ts";
import { input } from "../../terminal/inquirer.ts";
import { hasTerminal, PROMPT_CONTEXT, readStdinLines } from "../../terminal/hidden-input.ts";
import { renderTerminalQr } from "../qr-code.ts";
import { offerRecoveryCodes } from "../recovery-codes.ts";

/**
 * `pairgate device add --standard`: enrols a standard authenticator app (Google Authenticator,
 * Aegis, FreeOTP, 1Password, ...). The hub's otpauth:// URI is drawn as a QR code; the URI and
 * the key themselves hold the secret, so they are printed only when asked (`--show-uri`). The
 * app becomes a device once its current code is typed back.
 */

export interface StandardAddOptions extends GlobalOptions, FreshProofOptions {
  name?: string;
  totp?: boolean;
  hotp?: boolean;
  showUri?: boolean;
}

type Enrolment = EventReply<"device:enrol-standard">;

export const STANDARD_ADD_HELP = `
With --standard, a standard authenticator app is enrolled instead: the command draws a QR code to
scan with the app, then asks for the code the app shows (without a terminal, it reads that code
from the first line of standard input). --show-uri also prints the otpauth:// URI and the key for
typing in by hand; both hold the secret, so keep them off shared screens and logs.`;

export async function addStandardDevice(options: StandardAddOptions): Promise<void> {
  if (options.totp && options.hotp) throw clientFailures.badInput("Choose one of --totp and --hotp.");
  const kind = options.hotp ? "hotp" : "totp";
  await withLoggedInHub(options, async ({ connection }) => {
    const payload = { kind, ...(options.name ? { name: options.name } : {}) } as const;
    const enrolment = expectData(await callWithFreshProof(connection, options, "device:enrol-standard", payload));
    showEnrolment(options, enrolment);
    const { device } = expectData(await confirmAskingAgain(connection, enrolment));
    const how = kind === "totp" ? "TOTP app" : "HOTP app";
    printResultLine(options, { device }, `Added ${device.name} (${how}, device id ${device.id}). From now on, logging in asks for its current code.`);
    await offerRecoveryCodes(connection, options);
  });
}

function showEnrolment(options: StandardAddOptions, enrolment: Enrolment): void {
  const secrets = options.showUri ? { uri: enrolment.uri, secret: enrolment.secret } : {};
  const { enrolmentId, kind, name, issuer, account, algorithm, digits, expiresAt } = enrolment;
  const data = { enrolmentId, kind, name, issuer, account, algorithm, digits, ...(kind === "totp" ? { period: enrolment.period } : { counter: enrolment.counter }), expiresAt, ...secrets };
  const timing = kind === "totp" ? `a new code every ${enrolment.period} s` : "a new code each time you ask the app";
  const manual = options.showUri
    ? ["", `URI: ${enrolment.uri}`, `Key for typing in by hand: ${groupKey(enrolment.secret)} (${kind.toUpperCase()}, ${algorithm}, ${digits} digits)`]
    : ["", "Cannot scan it? Run the command again with --show-uri to see the key for typing in by hand."];
  printResultLine(options, data, [
    `Scan this QR code with your authenticator app (Google Authenticator, Aegis, FreeOTP, 1Password, ...):`,
    "",
    ...renderTerminalQr(enrolment.uri),
    "",
    `It adds "${issuer}: ${account}" (${kind.toUpperCase()}, ${timing}).`,
    ...manual,
    "",
    `Type the app's code below before ${formatTime(expiresAt)} (${formatWait(STANDARD_ENROLMENT_TTL_SECONDS)}).`,
  ]);
}

/** On a terminal, a wrong code is asked again while the hub says the enrolment has tries left. */
async function confirmAskingAgain(connection: ClientConnection, enrolment: Enrolment): Promise<Ack<EventReply<"device:confirm-standard">>> {
  for (;;) {
    const otp = await readAppCode();
    const answer = await connection.call("device:confirm-standard", { enrolmentId: enrolment.enrolmentId, otp });
    if (answer.ok || !hasTerminal() || answer.error.code !== "invalid_otp" || (answer.error.triesLeft ?? 0) === 0) return answer;
    process.stderr.write(`${describeProtocolError(answer.error)}\n`);
  }
}

async function readAppCode(): Promise<string> {
  if (!hasTerminal()) {
    const code = normaliseCode("otp", (await readStdinLines(1))[0] ?? "");
    if (code === undefined) throw clientFailures.badInput(`The app's code on standard input must be ${CODE_RULES.otp.rule}.`);
    return code;
  }
  const validate = (value: string) => normaliseCode("otp", value) !== undefined || CODE_RULES.otp.rule;
  return normaliseCode("otp", await input({ message: "Code shown by the app:", validate }, PROMPT_CONTEXT))!;
}

/** `ABCD EFGH ...`: groups of four, as the apps' own "enter a setup key" screens show keys. */
function groupKey(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}
