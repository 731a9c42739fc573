import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FRESH_PROOF_TTL_SECONDS, STANDARD_ENROLMENT_TTL_SECONDS } from "#protocol";
import { seriousViolations, watchPolicyViolations } from "./support/accessibility.ts";
import { browserLogIn } from "./support/browser-session.ts";
import { screenshotBothWidths, startTestBrowser, type TestBrowser } from "./support/browser.ts";
import { newAccount, register, type TestAccount } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { oathtoolHotp, oathtoolTotp } from "./support/standard-device.ts";
import { waitForHeading } from "./support/web-pages.ts";

// Adding a standard authenticator app from the devices page, in a real Chromium against a real
// hub: the QR code the page draws is read back by zbar (a decoder the app never shared), and the
// code that confirms it comes from oath-toolkit's oathtool.

let hub: TestHub;
let browser: TestBrowser;
let scratch: string;
const ALICE = newAccount("alice");
const BOB = newAccount("bob");
const CAROL = newAccount("carol");

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { eventsPerSocket: { points: 10_000, durationSeconds: 10 } } });
  for (const account of [ALICE, BOB, CAROL]) await register(hub, account);
  browser = await startTestBrowser(hub);
  scratch = mkdtempSync(path.join(tmpdir(), "pairgate-qr-"));
});
afterAll(async () => {
  await browser?.close();
  await hub?.destroy();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

async function devicesPage(account: TestAccount): Promise<{ page: Page; policy: string[]; issued: string[]; close: () => Promise<void> }> {
  const { cookie } = await browserLogIn(hub, account);
  const [name, value] = cookie.split("=") as [string, string];
  const { context, page } = await browser.newMachine();
  await context.addCookies([{ name, value, url: hub.url, httpOnly: true, secure: true, sameSite: "Strict" }]);
  const policy = watchPolicyViolations(page);
  const issued = urisTheHubSends(page);
  await page.goto("/account/devices");
  await waitForHeading(page, "Devices");
  return { page, policy, issued, close: () => context.close() };
}

/** Starts an enrolment through the form; the password dialog, when the hub asks for a fresh proof, gets the password. */
async function startEnrolment(page: Page, account: TestAccount, appName?: string): Promise<{ askedForPassword: boolean }> {
  if (appName) await page.getByLabel("App name (optional)").fill(appName);
  await page.getByRole("button", { name: "Add an authenticator app" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await page.getByTestId("enrolment-qr").or(dialog).waitFor();
  const askedForPassword = await dialog.isVisible();
  if (askedForPassword) {
    await dialog.getByLabel("Password").fill(account.password);
    await dialog.getByRole("button", { name: "Confirm" }).click();
  }
  await page.getByTestId("enrolment-qr").waitFor();
  return { askedForPassword };
}

/** The QR image's data URL, written to a PNG and decoded by `zbarimg --raw -q`. */
async function decodeQr(page: Page, name: string): Promise<string> {
  const src = await page.getByTestId("enrolment-qr").getAttribute("src");
  expect(src).toMatch(/^data:image\/png;base64,/);
  const file = path.join(scratch, `${name}.png`);
  writeFileSync(file, Buffer.from(src!.slice(src!.indexOf(",") + 1), "base64"));
  return execFileSync("zbarimg", ["--raw", "-q", file], { encoding: "utf8" }).trim();
}

/** Every otpauth URI in the hub's replies over the page's WebSocket, as the hub sent it. */
function urisTheHubSends(page: Page): string[] {
  const uris: string[] = [];
  page.on("websocket", (socket) =>
    socket.on("framereceived", ({ payload }) => {
      for (const match of String(payload).matchAll(/"uri":("otpauth:[^"]*")/g)) uris.push(JSON.parse(match[1]!) as string);
    }),
  );
  return uris;
}

/** The key the page shows behind "Can't scan it?", without the spaces that group it. */
async function typedKey(page: Page): Promise<string> {
  await page.getByText("Can't scan it?").click();
  return ((await page.getByTestId("enrolment-secret").textContent()) ?? "").replace(/\s+/g, "");
}

describe("adding an authenticator app on the devices page", () => {
  it("shows a QR code that decodes to the hub's otpauth URI, and the app's first code makes it a TOTP device", async () => {
    const { page, policy, issued, close } = await devicesPage(ALICE);
    await startEnrolment(page, ALICE, "alice-phone-app");
    const secret = await typedKey(page);
    const uri = await decodeQr(page, "alice");
    expect(issued).toEqual([uri]);
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(uri).searchParams.get("secret")).toBe(secret);

    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "account-authenticator-app");

    await page.getByLabel("2. The code your app shows").fill(oathtoolTotp(secret, hub.clock.now()));
    await page.getByRole("button", { name: "Confirm the app" }).click();
    const added = page.getByTestId("device").filter({ hasText: "alice-phone-app" });
    await added.waitFor();
    expect(await added.getByTestId("device-kind").textContent()).toBe("TOTP app");
    await page.getByText("alice-phone-app (TOTP app) is now a device of your account.").waitFor();
    expect(policy).toEqual([]);
    await close();
  });

  it("says how many tries are left after a wrong code, and after the enrolment expires offers to start again", async () => {
    const { page, close } = await devicesPage(BOB);
    await startEnrolment(page, BOB);
    const secret = await typedKey(page);
    const right = oathtoolTotp(secret, hub.clock.now());
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    await page.getByLabel("2. The code your app shows").fill(wrong);
    await page.getByRole("button", { name: "Confirm the app" }).click();
    await expect.poll(() => page.locator(".alert-error").allTextContents()).toEqual([expect.stringMatching(/tr(y|ies)/)]);
    await page.getByTestId("enrolment-qr").waitFor();

    hub.clock.advance((STANDARD_ENROLMENT_TTL_SECONDS + 1) * 1000);
    await page.getByLabel("2. The code your app shows").fill(oathtoolTotp(secret, hub.clock.now()));
    await page.getByRole("button", { name: "Confirm the app" }).click();
    await expect.poll(() => page.locator(".alert-error").allTextContents()).toEqual([expect.stringContaining("Start again")]);
    await page.getByRole("button", { name: "Add an authenticator app" }).waitFor();
    expect(await page.getByTestId("device").count()).toBe(0);
    await close();
  });

  it("asks a session whose proof is stale for the password first, and enrols a counter-based (HOTP) app with its first code", async () => {
    const { page, issued, close } = await devicesPage(CAROL);
    hub.clock.advance((FRESH_PROOF_TTL_SECONDS + 1) * 1000);
    await page.getByLabel(/Counter-based \(HOTP/).check();
    expect(await startEnrolment(page, CAROL, "carol-hotp")).toEqual({ askedForPassword: true });
    const uri = await decodeQr(page, "carol");
    expect(issued).toEqual([uri]);
    expect(uri).toMatch(/^otpauth:\/\/hotp\/.*[?&]counter=0/);
    const secret = await typedKey(page);

    await page.getByLabel("2. The code your app shows").fill(oathtoolHotp(secret, 0));
    await page.getByRole("button", { name: "Confirm the app" }).click();
    const added = page.getByTestId("device").filter({ hasText: "carol-hotp" });
    await added.waitFor();
    expect(await added.getByTestId("device-kind").textContent()).toBe("HOTP app");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "account-authenticator-app-added");
    await close();
  });
});
