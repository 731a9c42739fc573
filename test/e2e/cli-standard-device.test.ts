import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import QRCode from "qrcode";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseOtpauthUri } from "#otp/otpauth-uri";
import { encodeOtpSecret } from "#otp/totp";
import { TOTP_PERIOD_SECONDS } from "#protocol";
import { type CliRun, launchCli, runCli } from "../support/cli-process.ts";
import { startTestHub, type TestHub } from "../support/hub.ts";
import { oathtoolTotp } from "../support/standard-device.ts";
import { decodeQrPng, modulesOf, qrBlockLines, writeModulesPng } from "../support/terminal-qr.ts";

const PASSWORD = "violet-ember-canyon-42";
let hub: TestHub;
let home: string;
let scratch: string;

function cliEnv(): Record<string, string> {
  return { PAIRGATE_HOME: home, PAIRGATE_HUB: hub.url, PAIRGATE_CA: hub.caFile };
}

function pairgate(args: string[], input = ""): Promise<CliRun> {
  return runCli(args, cliEnv(), input);
}

/** The secret of an otpauth:// URI, in base32. */
function secretOf(uri: string): string {
  const parsed = parseOtpauthUri(uri);
  if (!parsed.ok) throw new Error(parsed.message);
  return encodeOtpSecret(parsed.account.secret);
}

/** What zbarimg reads from a PNG of the QR code the client printed. */
async function decodePrintedQr(printed: string, name: string): Promise<string> {
  const file = join(scratch, `${name}.png`);
  writeModulesPng(file, modulesOf(qrBlockLines(printed)));
  return decodeQrPng(file);
}

beforeAll(async () => {
  hub = await startTestHub();
  home = await mkdtemp(join(tmpdir(), "pairgate-cli-standard-"));
  scratch = await mkdtemp(join(tmpdir(), "pairgate-qr-"));
  expect((await pairgate(["keys", "generate", "--bits", "2048"])).code).toBe(0);
  expect((await pairgate(["register", "--username", "fern", "--email", "fern@example.com", "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
  expect((await pairgate(["login", "--username", "fern", "--password-stdin"], `${PASSWORD}\n`)).code).toBe(0);
});

afterAll(async () => {
  await hub?.destroy();
  await rm(home, { recursive: true, force: true });
  await rm(scratch, { recursive: true, force: true });
});

describe("pairgate device add --standard", () => {
  it("draws a QR code that zbarimg reads as the enrolment's URI, keeps the URI off the screen, and adds the app with oathtool's code", async () => {
    const cli = launchCli(["device", "add", "--standard", "--name", "fern-phone"], { env: cliEnv(), terminal: true });
    await cli.waitForOutput(/Code shown by the app:/);
    const printed = cli.output();
    expect(printed).not.toContain("otpauth://");
    const uri = await decodePrintedQr(printed, "terminal");
    expect(uri).toMatch(/^otpauth:\/\/totp\/PairGate:fern\?secret=[A-Z2-7]+&issuer=PairGate&algorithm=SHA1&digits=6&period=30$/);
    expect(printed).not.toContain(secretOf(uri));

    cli.write(`${oathtoolTotp(secretOf(uri), hub.clock.now())}\r`);
    await cli.waitForOutput(/Added fern-phone \(TOTP app/);
    await cli.waitForOutput(/recovery codes/);
    cli.write("n\r");
    expect((await cli.done).code).toBe(0);

    const list = await pairgate(["device", "list"]);
    expect(list.stdout).toMatch(/fern-phone\s+TOTP app/);
  });

  it("prints the URI and the key with --show-uri, the same URI the QR code holds", async () => {
    const secrets: string[] = [];
    const cli = launchCli(["device", "add", "--standard", "--hotp", "--show-uri"], { env: cliEnv(), terminal: true });
    await cli.waitForOutput(/Code shown by the app:/);
    const printed = cli.output();
    const shown = printed.match(/URI: (otpauth:\/\/\S+)/)?.[1];
    expect(shown).toMatch(/^otpauth:\/\/hotp\/PairGate:fern\?/);
    expect(await decodePrintedQr(printed, "show-uri")).toBe(shown);
    secrets.push(secretOf(shown!));
    expect(printed.replace(/\s/g, "")).toContain(secrets[0]);
    cli.signal("SIGINT");
    await cli.done;
  });

  it("logs in afterwards by the app's code alone, saying that an authenticator app is asked", async () => {
    const enrol = launchCli(["device", "add", "--standard", "--show-uri", "--name", "second-app"], { env: cliEnv(), terminal: true });
    await enrol.waitForOutput(/Code shown by the app:/);
    const secret = secretOf(enrol.output().match(/URI: (otpauth:\/\/\S+)/)![1]!);
    enrol.write(`${oathtoolTotp(secret, hub.clock.now())}\r`);
    // Recovery codes are offered with the first device only; this is the second.
    await enrol.waitForOutput(/Added second-app \(TOTP app/);
    expect((await enrol.done).code).toBe(0);

    hub.clock.advance(TOTP_PERIOD_SECONDS * 1000);
    const withoutCode = await pairgate(["login", "--username", "fern", "--password-stdin"], `${PASSWORD}\n`);
    expect(withoutCode.code).toBe(3);
    expect(withoutCode.stderr).toContain("second factor is an authenticator app (TOTP): log in with --otp CODE");
    const login = await pairgate(["login", "--username", "fern", "--password-stdin", "--otp", oathtoolTotp(secret, hub.clock.now())], `${PASSWORD}\n`);
    expect(login.code, login.stderr).toBe(0);
  });
});

describe("the QR code rendered for the web", () => {
  it("is a PNG that zbarimg reads back as the hub's URI", async () => {
    // No code on standard input: the enrolment is shown (one JSON line), then left unconfirmed.
    const run = await pairgate(["device", "add", "--standard", "--show-uri", "--json"]);
    const uri: string = JSON.parse(run.stdout.split("\n")[0]!).data.uri;
    expect(uri).toMatch(/^otpauth:\/\/totp\/PairGate:fern\?secret=/);
    const dataUrl = await QRCode.toDataURL(uri, { errorCorrectionLevel: "M", margin: 4 });
    const file = join(scratch, "web.png");
    await writeFile(file, Buffer.from(dataUrl.replace(/^data:image\/png;base64,/, ""), "base64"));
    expect(decodeQrPng(file)).toBe(uri);
  });
});
