// A person imports otpauth:// URIs of other services into the real pairgate-device, and its
// codes must be the ones Debian's oathtool computes for the same secrets (RFC 6238 and RFC 4226).
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDevice } from "../support/device-process.ts";
import { openTmuxScreen, type TmuxScreen } from "../support/tmux-screen.ts";

const BIN = resolve(import.meta.dirname, "../../bin/pairgate-device.mjs");
/** The RFC 4226 Appendix D secret, "12345678901234567890", in base32. */
const RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
const GITHUB = { secret: "JBSWY3DPEHPK3PXP", oathtool: ["--totp"], uri: "otpauth://totp/GitHub:alice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=GitHub" };
const ACME = {
  secret: RFC_SECRET,
  oathtool: ["--totp=sha256", "--digits=8", "--time-step-size=60"],
  uri: `otpauth://totp/ACME%20Corp:bob?secret=${RFC_SECRET}&issuer=ACME%20Corp&algorithm=SHA256&digits=8&period=60`,
};
const EXAMPLE_HOTP = `otpauth://hotp/Example:carol?secret=${RFC_SECRET}&issuer=Example&counter=3`;

// Every step starts the real program; on a loaded 2-core machine that takes a while.
const SLOW_MS = 240_000;
let scratch: string;
let env: Record<string, string>;

function oathtool(args: string[], secret: string, at?: number): string {
  const when = at === undefined ? [] : ["--now", `@${Math.floor(at / 1000)}`];
  return execFileSync("oathtool", [...args, ...when, "--base32", secret], { encoding: "utf8" }).trim();
}

/** The TOTP codes oathtool gives from `before` to `after`: what a screen read in between may show. */
function oathtoolTotpsBetween(service: { secret: string; oathtool: string[] }, before: number, after: number): string[] {
  return [...new Set([oathtool(service.oathtool, service.secret, before), oathtool(service.oathtool, service.secret, after)])];
}

function withoutSpaces(code: string | undefined): string {
  return (code ?? "").replace(/ /g, "");
}

beforeAll(async () => {
  execFileSync("oathtool", ["--version"], { stdio: "pipe" });
  execFileSync("tmux", ["-V"], { stdio: "pipe" });
  scratch = await mkdtemp(join(tmpdir(), "pairgate-imported-e2e-"));
  env = { PAIRGATE_HOME: join(scratch, "home") };
  await writeFile(join(scratch, "uris.txt"), `# exported from another authenticator\n${GITHUB.uri}\n${ACME.uri}\n\n${EXAMPLE_HOTP}\n`);
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("codes of other services in pairgate-device", () => {
  it("imports a file of otpauth URIs and prints the TOTP codes oathtool prints", { timeout: SLOW_MS }, async () => {
    const imported = await runDevice(["import", join(scratch, "uris.txt")], env);
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("Imported GitHub: alice@example.com, ACME Corp: bob, Example: carol.");
    expect(imported.code).toBe(0);

    const before = Date.now();
    const listed = await runDevice(["codes", "--json"], env);
    const after = Date.now();
    const codes = JSON.parse(listed.stdout).data.codes as { label: string; code?: string; secondsLeft?: number }[];
    expect(oathtoolTotpsBetween(GITHUB, before, after)).toContain(codes.find((code) => code.label === "GitHub: alice@example.com")?.code);
    expect(oathtoolTotpsBetween(ACME, before, after)).toContain(codes.find((code) => code.label === "ACME Corp: bob")?.code);
    expect(codes.find((code) => code.label === "Example: carol")).not.toHaveProperty("code");
    expect(listed.stdout).not.toContain(RFC_SECRET);
  });

  it("lists the imported codes by service, account and kind, never their secrets, as text and as JSON", { timeout: SLOW_MS }, async () => {
    const human = await runDevice(["list"], env);
    expect(human.stderr).toBe("");
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("No paired PairGate accounts.");
    expect(human.stdout).toMatch(/Codes of other services:\nSERVICE\s+ACCOUNT\s+KIND\s+ADDED\n/);
    expect(human.stdout).toMatch(/GitHub\s+alice@example\.com\s+TOTP\s+\d{4}-\d{2}-\d{2} \d{2}:\d{2}Z/);
    expect(human.stdout).toMatch(/ACME Corp\s+bob\s+TOTP/);
    expect(human.stdout).toMatch(/Example\s+carol\s+HOTP/);

    const scripted = await runDevice(["list", "--json"], env);
    expect(scripted.code, scripted.stderr).toBe(0);
    const { accounts, imported } = JSON.parse(scripted.stdout).data;
    expect(accounts).toEqual([]);
    expect(imported.map((code: { issuer: string; account: string; type: string }) => [code.issuer, code.account, code.type])).toEqual([
      ["GitHub", "alice@example.com", "totp"],
      ["ACME Corp", "bob", "totp"],
      ["Example", "carol", "hotp"],
    ]);
    for (const run of [human, scripted]) {
      expect(run.stdout).not.toContain(GITHUB.secret);
      expect(run.stdout).not.toContain(RFC_SECRET);
      expect(run.stdout).not.toContain("secret");
    }
  });

  it("refuses a file with a bad line, naming the line and never the secret, and imports nothing from it", { timeout: SLOW_MS }, async () => {
    await writeFile(join(scratch, "bad.txt"), `${GITHUB.uri.replace("GitHub:", "Other:").replace("issuer=GitHub", "issuer=Other")}\notpauth://totp/Broken?secret=ABC1DEFGHIJKLMNOP\n`);
    const run = await runDevice(["import", join(scratch, "bad.txt")], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Nothing was imported. Line 2: The URI's secret parameter is missing, is not base32");
    expect(run.stderr).not.toContain("ABC1DEFGHIJKLMNOP");
    const listed = JSON.parse((await runDevice(["codes", "--json"], env)).stdout).data.codes;
    expect(listed.map((code: { label: string }) => code.label)).not.toContain("Other: alice@example.com");
  });

  describe("on the app's screen, in a terminal", () => {
    let screen: TmuxScreen;

    beforeAll(async () => {
      screen = await openTmuxScreen([process.execPath, BIN], env);
    }, SLOW_MS);

    afterAll(async () => {
      await screen?.close();
    });

    it("shows the codes oathtool gives, each with the seconds it has left", { timeout: SLOW_MS }, async () => {
      await screen.waitFor(/Other services/);
      const before = Date.now() - 1_500; // the screen redraws once a second
      const shown = await screen.capture();
      const after = Date.now();
      const github = shown.match(/GitHub: alice@example\.com\s+(\d{3} \d{3})\s+[█░]+\s+(\d+)s/);
      const acme = shown.match(/ACME Corp: bob\s+(\d{4} \d{4})\s+[█░]+\s+(\d+)s/);
      expect(oathtoolTotpsBetween(GITHUB, before, after)).toContain(withoutSpaces(github?.[1]));
      expect(oathtoolTotpsBetween(ACME, before, after)).toContain(withoutSpaces(acme?.[1]));
      expect(Number(github?.[2])).toBeGreaterThanOrEqual(1);
      expect(Number(github?.[2])).toBeLessThanOrEqual(30);
      expect(Number(acme?.[2])).toBeLessThanOrEqual(60);
      expect(shown).toMatch(/Example: carol\s+HOTP · c for the next code \(counter 3\)/);
    });

    it("gives the HOTP code oathtool gives for the saved counter, and saves the next counter first", { timeout: SLOW_MS }, async () => {
      await screen.press("Down", "Down", "c");
      const shown = await screen.waitFor(/Next code for Example: carol:[\s\S]*Counter 3 is used up/);
      const code = shown.match(/│\s+(\d) (\d) (\d)\s+(\d) (\d) (\d)\s+│/)?.slice(1).join("");
      expect(code).toBe(oathtool(["--counter=3"], RFC_SECRET));
      await screen.waitFor(/Example: carol\s+HOTP · c for the next code \(counter 4\)/);
      const saved = JSON.parse(await readFile(join(scratch, "home", "OTPData.json"), "utf8"));
      expect(saved.imported.find((entry: { account: string }) => entry.account === "carol").counter).toBe(4);
    });

    it("imports a pasted URI, showing its secret only as dots, and lists its code at once", { timeout: SLOW_MS }, async () => {
      const mastodon = { secret: "KRSXG5CTMVRXEZLU", oathtool: ["--totp"] };
      await screen.press("i");
      await screen.waitFor(/Import codes of other services/);
      await screen.type(`otpauth://totp/Mastodon:carol?secret=${mastodon.secret}&issuer=Mastodon`);
      const typed = await screen.waitFor(/secret=••••••••&issuer=Mastodon/);
      expect(typed).not.toContain(mastodon.secret);
      await screen.press("Enter");
      await screen.waitFor(/Imported Mastodon: carol\./);
      await screen.press("Escape");
      const before = Date.now() - 1_500;
      const shown = await screen.waitFor(/Mastodon: carol\s+\d{3} \d{3}/);
      const after = Date.now();
      expect(oathtoolTotpsBetween(mastodon, before, after)).toContain(withoutSpaces(shown.match(/Mastodon: carol\s+(\d{3} \d{3})/)?.[1]));
    });
  });
});
