import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PushPayload } from "#protocol";
import { seriousViolations } from "./support/accessibility.ts";
import { screenshotBothWidths, startTestBrowser, type TestBrowser } from "./support/browser.ts";
import { call, connectClient, expectOk, logIn, newAccount, register, type TestAccount, type TestSocket } from "./support/client.ts";
import { pairDevice } from "./support/device.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { loggedInBrowser, openPage, waitForHeading } from "./support/web-pages.ts";

// What a person changes from the account pages, in a real Chromium against a real hub, checked
// from the outside: by a terminal client's session, by logging in again, by the hub's records.

let hub: TestHub;
let browser: TestBrowser;
beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { eventsPerSocket: { points: 10_000, durationSeconds: 10 } } });
  browser = await startTestBrowser(hub);
});
afterAll(async () => {
  await browser?.close();
  await hub?.destroy();
});

async function registered(name: string): Promise<TestAccount> {
  const account = newAccount(name);
  await register(hub, account);
  return account;
}

function nextRevocation(socket: TestSocket): Promise<PushPayload<"session:revoked">> {
  return new Promise((resolve) => socket.once("session:revoked", resolve));
}

async function loginAck(account: TestAccount, password: string) {
  const socket = await connectClient(hub);
  try {
    return await call(socket, "auth:login", { username: account.username, password });
  } finally {
    socket.disconnect();
  }
}

async function expectSessionEnded(page: Page, sentence: string): Promise<void> {
  await waitForHeading(page, "You have been logged out");
  expect(await page.getByTestId("session-ended").textContent()).toBe(sentence);
}

describe("log out everywhere", () => {
  it("ends every session: this page, another browser and a terminal client's, each told why", async () => {
    const ivy = await registered("ivy");
    const here = await loggedInBrowser(hub, browser, ivy);
    const elsewhere = await loggedInBrowser(hub, browser, ivy);
    await openPage(elsewhere.page, "/account", "Your account");
    const { socket: terminal, token } = await logIn(hub, ivy);
    const terminalRevoked = nextRevocation(terminal);

    await openPage(here.page, "/account/sessions", "Sessions");
    await expect.poll(() => here.page.getByTestId("session").count()).toBe(3);
    await here.page.getByRole("button", { name: "Log out everywhere" }).click();
    expect(await here.page.getByRole("group").textContent()).toContain("Log out every session, this one included?");
    await here.page.getByRole("button", { name: "Log out everywhere" }).click();

    const sentence = "You logged out everywhere, so this session ended too.";
    await expectSessionEnded(here.page, sentence);
    await expectSessionEnded(elsewhere.page, sentence);
    expect((await terminalRevoked).reason).toBe("logout_all");
    await expect(connectClient(hub, { token })).rejects.toThrow();
    // The page's cookie is gone too: a reload shows the login, not the account.
    await here.page.reload();
    await here.page.getByText("You are not logged in.").waitFor();
    terminal.disconnect();
    await here.context.close();
    await elsewhere.context.close();
  });
});

describe("changing the password", () => {
  it("refuses the old password afterwards and takes the new one; the other sessions end, this one stays", async () => {
    const jude = await registered("jude");
    const { socket: terminal } = await logIn(hub, jude);
    const terminalRevoked = nextRevocation(terminal);
    const { context, page } = await loggedInBrowser(hub, browser, jude);
    await openPage(page, "/account/password", "Change password");
    const newPassword = "maple-harbour-quartz-77";
    await page.getByLabel("Current password").fill(jude.password);
    await page.getByLabel("New password", { exact: true }).fill(newPassword);
    await page.getByLabel("New password again").fill(newPassword);
    await page.getByRole("button", { name: "Change password" }).click();
    await page.getByRole("status").filter({ hasText: "Your password is changed. One other session was logged out." }).waitFor();
    expect((await terminalRevoked).reason).toBe("password_changed");

    expect(await loginAck(jude, jude.password)).toMatchObject({ ok: false, error: { code: "invalid_credentials" } });
    expect(await loginAck(jude, newPassword)).toMatchObject({ ok: true });
    // This page's session goes on.
    await openPage(page, "/account", "Your account");
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toContain("jude");
    terminal.disconnect();
    await context.close();
  });

  it("says so when the current password is wrong, and changes nothing", async () => {
    const kit = await registered("kit");
    const { context, page } = await loggedInBrowser(hub, browser, kit);
    await openPage(page, "/account/password", "Change password");
    await page.getByLabel("Current password").fill("not-my-password-at-all");
    await page.getByLabel("New password", { exact: true }).fill("maple-harbour-quartz-77");
    await page.getByLabel("New password again").fill("maple-harbour-quartz-77");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect.poll(() => page.getByRole("alert").first().textContent()).not.toBe("");
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "account-password-wrong");
    expect(await loginAck(kit, kit.password)).toMatchObject({ ok: true });
    await context.close();
  });
});

describe("devices", () => {
  it("renames a device and unpairs it from /account/devices, as the terminal client then sees", async () => {
    const lena = await registered("lena");
    // Logged in before the device is paired: with a device, the login would need its approval.
    const { context, page } = await loggedInBrowser(hub, browser, lena);
    const { socket: terminal } = await logIn(hub, lena);
    await pairDevice(hub, terminal, "lena-phone");
    await openPage(page, "/account/devices", "Devices");
    await page.getByRole("button", { name: "Rename lena-phone" }).click();
    const name = page.getByLabel("New name for lena-phone");
    expect(await page.evaluate("document.activeElement.getAttribute('name')")).toBe("name");
    await name.fill("work phone");
    await page.getByRole("button", { name: "Save name" }).click();
    await page.getByRole("status").filter({ hasText: "Renamed to work phone." }).waitFor();
    await page.getByRole("button", { name: "Rename work phone" }).waitFor();
    expect(expectOk(await call(terminal, "device:list", {})).devices.map((device) => device.name)).toEqual(["work phone"]);

    await page.getByRole("button", { name: "Unpair", exact: true }).click();
    await page.getByRole("button", { name: "Unpair work phone" }).click();
    await page.getByRole("status").filter({ hasText: "work phone is unpaired; its codes no longer work." }).waitFor();
    await page.getByText("No device is paired yet.").waitFor();
    expect(expectOk(await call(terminal, "device:list", {})).devices).toEqual([]);
    terminal.disconnect();
    await context.close();
  });
});

describe("the fresh-password dialog", () => {
  it("changes nothing when cancelled, and asks again next time", async () => {
    const mia = await registered("mia");
    const { socket: terminal } = await logIn(hub, mia);
    const { codes } = expectOk(await call(terminal, "recovery:generate", {}));
    const user = await hub.hub.context.db.user.findUniqueOrThrow({ where: { username: "mia" } });
    const before = await hub.hub.context.db.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } });
    expect(before).toHaveLength(codes.length);

    const { context, page } = await loggedInBrowser(hub, browser, mia);
    // The browser's proof is old: its session was made long enough ago (sudo mode has lapsed).
    await hub.hub.context.db.session.updateMany({ where: { userId: user.id, clientName: "browser" }, data: { provenAt: null } });
    await openPage(page, "/account/recovery-codes", "Recovery codes");
    await page.getByRole("button", { name: "Make new recovery codes" }).click();
    await page.getByRole("button", { name: "Make new codes" }).click();
    const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
    await dialog.waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "account-confirm-password");
    await dialog.getByRole("button", { name: "Cancel" }).click();

    await page.getByRole("status").filter({ hasText: "Cancelled: nothing was changed." }).waitFor();
    expect(await dialog.isVisible()).toBe(false);
    expect(await page.getByTestId("recovery-codes").count()).toBe(0);
    expect(await hub.hub.context.db.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } })).toEqual(before);

    await page.getByRole("button", { name: "Make new recovery codes" }).click();
    await page.getByRole("button", { name: "Make new codes" }).click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("status").filter({ hasText: "Cancelled: nothing was changed." }).waitFor();
    expect(await hub.hub.context.db.recoveryCode.findMany({ where: { userId: user.id }, orderBy: { id: "asc" } })).toEqual(before);
    terminal.disconnect();
    await context.close();
  });
});

describe("logging in while the device is locked out", () => {
  async function lockedAccount(name: string, lock: { lockedUntil?: Date; failedAttempts?: number }) {
    const account = await registered(name);
    const { socket } = await logIn(hub, account);
    const device = await pairDevice(hub, socket, `${name}-phone`);
    socket.disconnect();
    await hub.hub.context.db.device.update({ where: { id: device.deviceId }, data: lock });
    return account;
  }

  async function submitPassword(page: Page, account: TestAccount): Promise<void> {
    await page.goto("/login");
    await page.getByLabel("Username").fill(account.username);
    await page.getByLabel("Password", { exact: true }).fill(account.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await waitForHeading(page, "Confirm it's you");
  }

  it("says until when the device is locked and that a recovery code still works", async () => {
    const account = await lockedAccount("noor", { lockedUntil: new Date(Date.now() + 15 * 60_000) });
    const { context, page } = await browser.newMachine();
    await submitPassword(page, account);
    await page.getByText(/Too many wrong codes: your device is locked until .+\. A recovery code still works\./).waitFor();
    expect(await page.getByTestId("number-match").count()).toBe(0);
    await page.getByLabel("Recovery code").waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "log-in-device-locked");
    await context.close();
  });

  it("says how to unlock a device locked until its owner acts", async () => {
    const account = await lockedAccount("omar", { failedAttempts: 1_000 });
    const { context, page } = await browser.newMachine();
    await submitPassword(page, account);
    await page.getByText("your device is locked until you log in with a recovery code (which unlocks it) or an administrator unlocks it").waitFor();
    await page.getByLabel("Recovery code").waitFor();
    await context.close();
  });
});
