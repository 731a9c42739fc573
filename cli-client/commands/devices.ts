import { styleText } from "node:util";
import { type Command, InvalidArgumentError } from "commander";
import { BINDING_CODE_TTL_SECONDS, DEVICE_NAME_MAX_LENGTH, deviceNameSchema } from "#protocol";
import { CliFailure } from "../../terminal/cli-failure.ts";
import { awaitDeviceBound, type BoundDevice } from "../device-pairing.ts";
import { EXIT_CODES } from "../../terminal/exit-codes.ts";
import { optionsOf } from "../../terminal/global-options.ts";
import { expectData, withLoggedInHub } from "../hub-access.ts";
import { callWithFreshProof, PASSWORD_STDIN_HELP } from "../fresh-proof.ts";
import { addStandardDevice, STANDARD_ADD_HELP, type StandardAddOptions } from "./standard-device.ts";
import type { ClientConnection } from "../../terminal/hub-connection.ts";
import { clientFailures, failureFromProtocolError } from "../messages.ts";
import { formatTable, formatTime, printResult, printResultLine } from "../../terminal/output.ts";
import { hasTerminal } from "../../terminal/hidden-input.ts";
import { promptConfirm } from "../prompts.ts";
import { offerRecoveryCodes } from "../recovery-codes.ts";
import { formatWait } from "../../terminal/wait-time.ts";

export const AUTHENTICATOR_HINT = "Type this code into the PairGate authenticator (pairgate-device; npx pairgate-device in a checkout).";

const ADD_JSON_HELP = `
With --json, stdout has one JSON object per line: first the code,
  {"ok":true,"data":{"code":"XXXX-XXXX","expiresAt":"<ISO time>"}}
then, once a device has paired, the device (or the failure, as {"ok":false,"error":...}):
  {"ok":true,"data":{"device":{"id":"<device id>","name":"<name>"}}}`;

interface AddOptions extends StandardAddOptions {
  timeout?: number;
  standard?: boolean;
}

const KIND_LABELS = { pairgate: "PairGate", totp: "TOTP app", hotp: "HOTP app" } as const;

export function addDeviceCommands(program: Command): void {
  const device = program.command("device").description("your paired authenticators: add, list, rename, revoke");
  device
    .command("add")
    .description("pair a new PairGate authenticator (a one-time code to type into it), or with --standard enrol an authenticator app by QR code")
    .option("--name <name>", "the device's name on your account (default: the name the authenticator gives)", parseDeviceName)
    .option("--timeout <seconds>", `stop waiting after this many seconds (default: when the code expires, ${BINDING_CODE_TTL_SECONDS})`, parseTimeout)
    .option("--password-stdin", PASSWORD_STDIN_HELP)
    .option("--standard", "enrol a standard authenticator app (Google Authenticator, Aegis, FreeOTP, ...) by QR code instead; it gets no pushes, logins ask for its code")
    .option("--totp", "with --standard: a time-based app, a new code every 30 s (the default)")
    .option("--hotp", "with --standard: a counter-based app, a new code each time you ask it")
    .option("--show-uri", "with --standard: also print the otpauth:// URI and the key for typing in by hand (they hold the secret)")
    .addHelpText("after", ADD_JSON_HELP)
    .addHelpText("after", STANDARD_ADD_HELP)
    .action((_options, command: Command) => addDevice(command));
  device
    .command("list")
    .description("list your devices: paired PairGate authenticators and authenticator apps")
    .action((_options, command: Command) => listDevices(command));
  device
    .command("rename")
    .description("rename one of your devices")
    .argument("<id>", "the device id, as `pairgate device list` shows it")
    .argument("<name>", "the new name", parseDeviceName)
    .action((id: string, name: string, _options, command: Command) => renameDevice(id, name, command));
  device
    .command("revoke")
    .description("unpair a device: its codes and approvals stop working at once")
    .argument("<id>", "the device id, as `pairgate device list` shows it")
    .option("--yes", "do not ask for confirmation (needed without a terminal)")
    .action((id: string, _options, command: Command) => revokeDevice(id, command));
}

async function addDevice(command: Command): Promise<void> {
  const options = optionsOf<AddOptions>(command);
  if (options.standard) return addStandardDevice(options);
  if (options.totp || options.hotp || options.showUri) throw clientFailures.badInput("--totp, --hotp and --show-uri go with --standard (an authenticator app).");
  await withLoggedInHub(options, async ({ connection }) => {
    const { code, expiresAt } = expectData(await callWithFreshProof(connection, options, "device:create-binding-code", options.name ? { name: options.name } : {}));
    const bound = awaitDeviceBound(connection, { code, expiresAt, timeoutSeconds: options.timeout });
    const validFor = formatWait((Date.parse(expiresAt) - Date.now()) / 1000);
    printResultLine(options, { code, expiresAt }, [
      "Your binding code:",
      "",
      `    ${process.stdout.isTTY ? styleText("bold", code) : code}`,
      "",
      `It works once, until ${formatTime(expiresAt)} (${validFor}).`,
      AUTHENTICATOR_HINT,
    ]);
    if (!options.json) process.stderr.write("Waiting for the authenticator to pair (Ctrl+C to stop)...\n");
    const device = await applyChosenName(connection, await bound, options.name);
    printResultLine(options, { device }, `Paired ${device.name} (device id ${device.id}). From now on, logging in needs its code or approval.`);
    await offerRecoveryCodes(connection, options);
  });
}

/**
 * The authenticator names itself when it binds; a name given with `--name` is the person's
 * choice for their account, so it is applied if the hub kept the authenticator's.
 */
async function applyChosenName(connection: ClientConnection, device: BoundDevice, name: string | undefined): Promise<BoundDevice> {
  if (name === undefined || name === device.name) return device;
  const renamed = expectData(await connection.call("device:rename", { deviceId: device.id, name })).device;
  return { id: renamed.id, name: renamed.name };
}

async function listDevices(command: Command): Promise<void> {
  const options = optionsOf(command);
  const { devices } = await withLoggedInHub(options, async ({ connection }) => expectData(await connection.call("device:list", {})));
  if (devices.length === 0) return printResult(options, { devices }, "No devices. Pair the PairGate authenticator with `pairgate device add`, or enrol an authenticator app with `pairgate device add --standard`.");
  const rows = devices.map((device) => [
    device.name,
    KIND_LABELS[device.kind],
    device.id,
    formatTime(device.createdAt),
    device.lastUsedAt ? formatTime(device.lastUsedAt) : "never",
    device.needsOwnerUnlock ? "until unlocked" : device.lockedUntil ? formatTime(device.lockedUntil) : "-",
  ]);
  const table = formatTable(["NAME", "KIND", "ID", "ADDED", "LAST USED", "LOCKED UNTIL"], rows);
  printResult(options, { devices }, [...table, "", `${devices.length} device${devices.length === 1 ? "" : "s"}.`]);
}

async function renameDevice(deviceId: string, name: string, command: Command): Promise<void> {
  const options = optionsOf(command);
  const { device } = await withLoggedInHub(options, async ({ connection }) => expectData(await connection.call("device:rename", { deviceId, name })));
  printResult(options, { device }, `Device ${device.id} is now called ${device.name}.`);
}

async function revokeDevice(deviceId: string, command: Command): Promise<void> {
  const options = optionsOf<{ yes?: boolean }>(command);
  // Checked before connecting, so a script learns at once that it needs --yes.
  if (!options.yes && !hasTerminal()) throw clientFailures.needsTerminal("confirmation", "Pass --yes to unpair the device without asking.");
  const device = await withLoggedInHub(options, async ({ connection }) => {
    const { devices } = expectData(await connection.call("device:list", {}));
    const paired = devices.find((candidate) => candidate.id === deviceId);
    if (!paired) throw failureFromProtocolError({ code: "device_not_found", message: "" });
    const question = `Unpair ${paired.name} (${paired.id})? Its codes and approvals stop working at once.`;
    if (!options.yes && !(await promptConfirm(question, "Pass --yes to unpair the device without asking."))) throw keptDevice(paired.name);
    expectData(await connection.call("device:revoke", { deviceId }));
    return paired;
  });
  printResult(options, { revoked: true, deviceId, name: device.name }, `Unpaired ${device.name} (${device.id}); its codes and approvals no longer work.`);
}

function keptDevice(name: string): CliFailure {
  return new CliFailure("cancelled", `Nothing was changed: ${name} stays paired.`, EXIT_CODES.failure);
}

function parseDeviceName(raw: string): string {
  const parsed = deviceNameSchema.safeParse(raw);
  if (!parsed.success) throw new InvalidArgumentError(`Give a name of 1 to ${DEVICE_NAME_MAX_LENGTH} characters.`);
  return parsed.data;
}

function parseTimeout(raw: string): number {
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > BINDING_CODE_TTL_SECONDS) {
    throw new InvalidArgumentError(`Use a whole number of seconds from 1 to ${BINDING_CODE_TTL_SECONDS} (a code lasts ${BINDING_CODE_TTL_SECONDS} seconds).`);
  }
  return seconds;
}
