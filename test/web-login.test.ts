import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility.ts";
import { screenshotBothWidths, startTestBrowser, type TestBrowser } from "./support/browser.ts";
import { call, expectOk, logIn, newAccount, register, type TestAccount } from "./support/client.ts";
import { connectDevice, deviceCall, pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { outboxCode } from "./support/rest.ts";
import { waitForHeading } from "./support/web-pages.ts";

// Logins in the browser beyond the plain journey (test/web-journey.test.ts): accounts made from a
// terminal, so that every browser is a new machine to them.

let hub: TestHub;
let browser: TestBrowser;
beforeAll(async () => {
  hub = await startTestHub();
  browser = await startTestBrowser(hub);
});
afterAll(async () => {
  await browser?.close();
  await hub?.destroy();
});

async function submitPassword(page: Page, account: TestAccount): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password", { exact: true }).fill(account.password);
  await page.getByRole("button", { name: "Continue" }).click();
}

async function expectLoggedIn(page: Page, account: TestAccount): Promise<void> {
  await waitForHeading(page, "Your account");
  await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toContain(account.username);
}

async function accountWithDevice(username: string) {
  const account = newAccount(username);
  await register(hub, account);
  const { socket } = await logIn(hub, account);
  const device = await pairDevice(hub, socket, `${username}-phone`);
  return { account, socket, device };
}

describe("logging in from a browser the account does not know", () => {
  it("adds the browser's key with the code emailed for it when the account has no device", async () => {
    const account = newAccount("erin");
    await register(hub, account);
    const { page, context } = await browser.newMachine();
    await submitPassword(page, account);
    await waitForHeading(page, "Add this browser");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "log-in-new-browser");
    await page.getByLabel("Code from the email").fill(await outboxCode(hub, account.email, "A new machine"));
    await page.getByRole("button", { name: "Add this browser and log in" }).click();
    await expectLoggedIn(page, account);

    const { socket } = await logIn(hub, account);
    const { keys } = expectOk(await call(socket, "key:list", {}));
    expect(keys).toHaveLength(2);
    socket.disconnect();
    await context.close();
  });

  it("logs in with a recovery code instead of the lost device", async () => {
    const { account, socket } = await accountWithDevice("farid");
    const { codes } = expectOk(await call(socket, "recovery:generate", {}));
    socket.disconnect();
    const { page, context } = await browser.newMachine();
    await submitPassword(page, account);
    await waitForHeading(page, "Confirm it's you");
    await page.getByLabel("Code from your device").fill(codes[0]!.toLowerCase());
    await page.getByRole("button", { name: "Log in with this code" }).click();
    await expectLoggedIn(page, account);
    await context.close();
  });

  it("says how many tries are left after a wrong device code, then takes the right one", async () => {
    const { account, socket, device } = await accountWithDevice("gwen");
    socket.disconnect();
    const { page, context } = await browser.newMachine();
    await submitPassword(page, account);
    await waitForHeading(page, "Confirm it's you");
    const code = page.getByLabel("Code from your device");
    await code.fill("12345");
    await page.getByRole("button", { name: "Log in with this code" }).click();
    await page.getByText("Type the 6 digits your device shows").waitFor();
    const wrong = device.codeAt(device.counter + 500);
    await code.fill(wrong);
    await page.getByRole("button", { name: "Log in with this code" }).click();
    await page.getByText(/tries left/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "log-in-wrong-code");
    await code.fill(device.nextCode());
    await page.getByRole("button", { name: "Log in with this code" }).click();
    await expectLoggedIn(page, account);
    await context.close();
  });

  it("refuses the login, and says why, when a wrong number is given on the device", async () => {
    const { account, socket, device } = await accountWithDevice("hana");
    socket.disconnect();
    const { page, context } = await browser.newMachine();
    await submitPassword(page, account);
    const shown = (await page.getByTestId("number-match").textContent())!;
    const wrongNumber = shown === "10" ? "11" : "10";
    const phone = await connectDevice(hub, { deviceId: device.deviceId, deviceToken: device.deviceToken });
    const { challenges } = expectOk(await deviceCall(phone, "challenge:list", {}));
    await deviceCall(phone, "challenge:approve", { challengeId: challenges[0]!.challengeId, otp: device.nextCode(), numberMatch: wrongNumber });
    phone.disconnect();
    await page.getByText("was not the one shown here").waitFor();
    await waitForHeading(page, "Log in");
    await context.close();
  });
});
