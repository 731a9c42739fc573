import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations, watchPolicyViolations } from "./support/accessibility.ts";
import { screenshotBothWidths, startTestBrowser, type TestBrowser } from "./support/browser.ts";
import { call, connectClient, expectOk, generateTestKeys, signChallenge, type TestSocket } from "./support/client.ts";
import { connectDevice, deviceCall, pairDevice, type TestDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { outboxCode } from "./support/rest.ts";
import { waitForHeading } from "./support/web-pages.ts";

// One person's whole journey in a real Chromium against a real hub: sign up, confirm the email,
// log in with password and this browser's key, pair a device (from a terminal), log in by the
// device's code and by approval with the number typed on the device, log in from a second
// browser (a new machine), and reset a forgotten password. Every page is audited and pictured.

const USERNAME = "dana";
const EMAIL = "dana@example.test";
const PASSWORD = "harbour-violet-lantern-93";
const NEW_PASSWORD = "quiet-meadow-copper-58";

let hub: TestHub;
let browser: TestBrowser;
let page: Page;
let policyViolations: string[];
let device: TestDevice;
let terminal: TestSocket;

beforeAll(async () => {
  hub = await startTestHub({ env: { PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "true" } });
  browser = await startTestBrowser(hub);
  ({ page } = await browser.newMachine());
  policyViolations = watchPolicyViolations(page);
});
afterAll(async () => {
  terminal?.disconnect();
  await browser?.close();
  await hub?.destroy();
});

/** The page passes axe-core and is pictured at both widths. */
async function checkPage(target: Page, name: string, options: { dark?: boolean } = {}): Promise<void> {
  expect(await seriousViolations(target)).toEqual([]);
  await screenshotBothWidths(target, name);
  if (!options.dark) return;
  await target.emulateMedia({ colorScheme: "dark" });
  expect(await seriousViolations(target)).toEqual([]);
  await screenshotBothWidths(target, `${name}-dark`);
  await target.emulateMedia({ colorScheme: "light" });
}

async function logInWithPassword(target: Page, password: string): Promise<void> {
  await target.goto("/login");
  await waitForHeading(target, "Log in");
  await target.getByLabel("Username").fill(USERNAME);
  await target.getByLabel("Password", { exact: true }).fill(password);
  await target.getByRole("button", { name: "Continue" }).click();
}

async function expectLoggedIn(target: Page): Promise<void> {
  await waitForHeading(target, "Your account");
  await expect.poll(() => target.getByTestId("signed-in-as").textContent()).toContain(USERNAME);
}

/** A terminal client on another machine: its own key, added to the account with the code emailed for it. */
async function logInFromTerminal(): Promise<TestSocket> {
  const keys = generateTestKeys();
  const socket = await connectClient(hub);
  const challenge = expectOk(await call(socket, "auth:login", { username: USERNAME, password: PASSWORD }));
  const signature = signChallenge(keys.privateKey, challenge.challengeId, challenge.nonce);
  const base = { challengeId: challenge.challengeId, signature, publicKey: keys.publicKeyPem };
  const asked = await call(socket, "auth:complete", base);
  expect(asked.ok ? "ok" : asked.error.code).toBe("key_verification_required");
  const emailCode = await outboxCode(hub, EMAIL, "A new machine");
  expectOk(await call(socket, "auth:complete", { ...base, emailCode }));
  return socket;
}

describe("the web interface, a person's journey", () => {
  it("signs up with the password's strength reasons shown while it is typed", async () => {
    await page.goto("/signup");
    await waitForHeading(page, "Create your account");
    await page.getByLabel("Username").fill(USERNAME);
    await page.getByLabel("Email").fill(EMAIL);
    await page.getByLabel("Password").fill("password1");
    await page.getByText(/commonly used password/i).waitFor();
    await checkPage(page, "sign-up");
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByText("Strong enough.").waitFor();
    await page.getByRole("button", { name: "Create account" }).click();
    await waitForHeading(page, "Confirm your email");
  });

  it("confirms the email address with the emailed code, after asking for a new one", async () => {
    await expect.poll(() => page.getByLabel("Username").inputValue()).toBe(USERNAME);
    await outboxCode(hub, EMAIL, "Confirm your PairGate email address");
    await page.getByRole("button", { name: "Send a new code" }).click();
    await page.getByText("A new code is on its way").waitFor();
    await checkPage(page, "verify-email");
    const code = await outboxCode(hub, EMAIL, "Confirm your PairGate email address");
    await page.getByLabel("Code from the email").fill(code);
    await page.getByRole("button", { name: "Confirm email" }).click();
    await waitForHeading(page, "Log in");
    await page.getByText("Your email address is confirmed").waitFor();
  });

  it("logs in with the password and this browser's key while the account has no device", async () => {
    await checkPage(page, "log-in");
    await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
    await expectLoggedIn(page);
  });

  it("keeps this browser's key in IndexedDB: RSA-PSS 2048 bits, its private half not extractable", async () => {
    // Run in the page (a string: this file is compiled without the DOM's types).
    const key = await page.evaluate(`new Promise((resolve, reject) => {
      const opened = indexedDB.open("pairgate");
      opened.onerror = () => reject(opened.error);
      opened.onsuccess = () => {
        const read = opened.result.transaction("keys").objectStore("keys").get("browser-key");
        read.onsuccess = async () => {
          const { privateKey } = read.result;
          const { name, hash, modulusLength } = privateKey.algorithm;
          const exported = await crypto.subtle.exportKey("pkcs8", privateKey).then(() => "exported", (error) => error.name);
          resolve({ extractable: privateKey.extractable, algorithm: name + " " + hash.name, bits: modulusLength, exported });
        };
      };
    })`);
    expect(key).toEqual({ extractable: false, algorithm: "RSA-PSS SHA-256", bits: 2048, exported: "InvalidAccessError" });
  });

  it("keeps the session in a cookie the page's scripts cannot read, across a reload", async () => {
    expect(await page.evaluate("document.cookie")).toBe("");
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: "__Host-pairgate-session", httpOnly: true, secure: true, sameSite: "Strict" });
    await page.reload();
    await expectLoggedIn(page);
  });

  it("logs in by typing the paired device's code", async () => {
    terminal = await logInFromTerminal();
    device = await pairDevice(hub, terminal, "dana-phone");
    await logInWithPassword(page, PASSWORD);
    await waitForHeading(page, "Confirm it's you");
    await expect.poll(() => page.getByTestId("number-match").textContent()).toMatch(/^\d{2}$/);
    await checkPage(page, "log-in-device", { dark: true });
    await page.getByLabel("Code from your device").fill(device.nextCode());
    await page.getByRole("button", { name: "Log in with this code" }).click();
    await expectLoggedIn(page);
  });

  it("logs in by approval on the device, with the number shown in the browser", async () => {
    await logInWithPassword(page, PASSWORD);
    const shown = (await page.getByTestId("number-match").textContent())!;
    const phone = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const { challenges } = expectOk(await deviceCall(phone, "challenge:list", {}));
    expect(challenges).toHaveLength(1);
    expectOk(await deviceCall(phone, "challenge:approve", { challengeId: challenges[0]!.challengeId, otp: device.nextCode(), numberMatch: shown }));
    phone.disconnect();
    await expectLoggedIn(page);
  });

  it("treats a second browser as a new machine that needs the device", async () => {
    const other = await browser.newMachine();
    await logInWithPassword(other.page, PASSWORD);
    await waitForHeading(other.page, "Confirm it's you");
    await other.page.getByLabel("Code from your device").fill(device.nextCode());
    await other.page.getByRole("button", { name: "Log in with this code" }).click();
    await expectLoggedIn(other.page);
    await checkPage(other.page, "account");
    await other.context.close();
  });

  it("resets a forgotten password with the emailed code and the device's code", async () => {
    await page.goto("/login");
    // The page first: should it not come, the failure says what the browser shows and what went wrong in it.
    await waitForHeading(page, "Log in");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await waitForHeading(page, "Reset your password");
    await checkPage(page, "forgot-password");
    await page.getByLabel("Username or email").fill(USERNAME);
    await page.getByRole("button", { name: "Email me a code" }).click();
    await waitForHeading(page, "Choose a new password");
    const code = await outboxCode(hub, EMAIL, "Reset your PairGate password");
    await page.getByLabel("Code from the email").fill(code);
    await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByText("Strong enough.").waitFor();
    await checkPage(page, "reset-password");
    await page.getByRole("button", { name: "Set new password" }).click();
    await page.getByText(/paired device/).first().waitFor();
    await page.getByLabel("Code from your device, or a recovery code").fill(device.nextCode());
    await page.getByRole("button", { name: "Set new password" }).click();
    await waitForHeading(page, "Log in");
    await page.getByText("Your password was changed").waitFor();
    await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Code from your device").fill(device.nextCode());
    await page.getByRole("button", { name: "Log in with this code" }).click();
    await expectLoggedIn(page);
  });

  it("shows a page for an unknown address, and broke no Content-Security-Policy rule anywhere", async () => {
    await page.goto("/no-such-page");
    await waitForHeading(page, "Page not found");
    await checkPage(page, "not-found");
    expect(policyViolations).toEqual([]);
  });
});
