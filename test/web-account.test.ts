import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility.ts";
import { screenshotBothWidths, startTestBrowser, type TestBrowser } from "./support/browser.ts";
import { call, expectOk, logIn, newAccount, register, type TestAccount } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { loggedInBrowser as loggedInBrowserAs, openPage, waitForHeading } from "./support/web-pages.ts";

// The pages behind the login in a real Chromium against a real hub: the account, sessions,
// devices, recovery codes, password, activity, keys, chat and the admin console. Each browser
// gets its session the way the web app does (POST /api/web/login); the cookie is HttpOnly, so
// the test hands the browser the cookie the hub set. Every page is audited and pictured.

let hub: TestHub;
let browser: TestBrowser;
const ALICE = newAccount("alice");
const BOB = newAccount("bob");
const ROOT = newAccount("root");

beforeAll(async () => {
  hub = await startTestHub({ rateLimits: { eventsPerSocket: { points: 10_000, durationSeconds: 10 } } });
  for (const account of [ALICE, BOB, ROOT]) await register(hub, account);
  await hub.hub.context.db.user.update({ where: { username: "root" }, data: { role: "admin" } });
  browser = await startTestBrowser(hub);
});
afterAll(async () => {
  await browser?.close();
  await hub?.destroy();
});

const loggedInBrowser = (account: TestAccount) => loggedInBrowserAs(hub, browser, account);

async function checkPage(page: Page, name: string): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
  await screenshotBothWidths(page, name);
}

describe("the account pages", () => {
  it("show who is logged in, the sessions with this one marked, devices, keys and activity, each passing axe-core", async () => {
    const { context, page, policy } = await loggedInBrowser(ALICE);
    await openPage(page, "/account", "Your account");
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toContain("alice@example.test");
    await checkPage(page, "account-overview");

    await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sessions" }).click();
    await waitForHeading(page, "Sessions");
    await page.getByText("This session").waitFor();
    await checkPage(page, "account-sessions");

    await openPage(page, "/account/devices", "Devices");
    await page.getByRole("button", { name: "Add a device" }).click();
    await expect.poll(() => page.getByTestId("binding-code").textContent()).toMatch(/[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await checkPage(page, "account-devices");

    await openPage(page, "/account/keys", "Browser and machine keys");
    await page.getByTestId("client-key").first().waitFor();
    await checkPage(page, "account-keys");

    await openPage(page, "/account/activity", "Activity");
    await page.getByTestId("audit-event").first().waitFor();
    await checkPage(page, "account-activity");

    await openPage(page, "/account/password", "Change password");
    await checkPage(page, "account-password");
    expect(policy).toEqual([]);
    await context.close();
  });

  it("shows new recovery codes once: gone after 'I have saved them' and after a reload", async () => {
    const { context, page } = await loggedInBrowser(ALICE);
    await openPage(page, "/account/recovery-codes", "Recovery codes");
    await page.getByRole("button", { name: "Make new recovery codes" }).click();
    await page.getByRole("button", { name: "Make new codes" }).click();
    const codes = page.getByTestId("recovery-codes").getByRole("listitem");
    await expect.poll(() => codes.count()).toBe(10);
    await page.getByRole("button", { name: "Copy codes" }).waitFor();
    await page.getByRole("button", { name: "Download codes" }).waitFor();
    await checkPage(page, "account-recovery-codes");
    await page.getByRole("button", { name: "I have saved them" }).click();
    expect(await page.getByTestId("recovery-codes").count()).toBe(0);
    await page.reload();
    await page.getByRole("button", { name: "Make new recovery codes" }).waitFor();
    expect(await page.getByTestId("recovery-codes").count()).toBe(0);
    await context.close();
  });
});

describe("live logout", () => {
  it("logs the page out with the reason when a terminal session revokes it", async () => {
    const { context, page } = await loggedInBrowser(BOB);
    await openPage(page, "/account/sessions", "Sessions");
    await page.getByText("This session").waitFor();
    const { socket: terminal } = await logIn(hub, BOB);
    const browserSession = expectOk(await call(terminal, "session:list", {})).sessions.find((session) => session.clientName === "browser")!;
    expectOk(await call(terminal, "session:revoke", { sessionId: browserSession.id }));
    terminal.disconnect();
    await waitForHeading(page, "You have been logged out");
    expect(await page.getByTestId("session-ended").textContent()).toBe("This session was ended from another of your sessions.");
    await checkPage(page, "account-logged-out");
    await context.close();
  });
});

describe("chat", () => {
  it("carries messages live between two browsers, and says when the other person is not online", async () => {
    const alice = await loggedInBrowser(ALICE);
    await openPage(alice.page, "/chat", "Chat");
    await alice.page.getByLabel("Chat with (username)").fill("bob");
    await alice.page.getByRole("button", { name: "Open chat" }).click();
    await expect.poll(() => alice.page.getByTestId("presence").textContent()).toContain("bob is not online");

    const bob = await loggedInBrowser(BOB);
    await openPage(bob.page, "/chat", "Chat");
    await bob.page.getByLabel("Chat with (username)").fill("alice");
    await bob.page.getByRole("button", { name: "Open chat" }).click();
    await expect.poll(() => bob.page.getByTestId("presence").textContent()).toBe("alice is online.");

    await alice.page.getByLabel("Message to bob").fill("Lunch at noon?");
    await alice.page.getByRole("button", { name: "Send" }).click();
    await bob.page.getByTestId("messages").getByText("Lunch at noon?").waitFor();
    await bob.page.getByLabel("Message to alice").fill("Noon works.");
    await bob.page.getByRole("button", { name: "Send" }).click();
    await alice.page.getByTestId("messages").getByText("Noon works.").waitFor();
    await checkPage(bob.page, "chat");
    await alice.context.close();
    await bob.context.close();
  });
});

describe("the admin console", () => {
  it("finds a user, and locking them logs their open page out with the reason", async () => {
    const carol = newAccount("carol");
    await register(hub, carol);
    const victim = await loggedInBrowser(carol);
    await openPage(victim.page, "/account", "Your account");

    const admin = await loggedInBrowser(ROOT);
    await openPage(admin.page, "/admin", "Administration");
    await admin.page.getByTestId("admin-user").first().waitFor();
    await checkPage(admin.page, "admin-users");
    await admin.page.getByLabel("Search users").fill("carol");
    await admin.page.getByRole("button", { name: "Search", exact: true }).click();
    await expect.poll(() => admin.page.getByTestId("admin-user").count()).toBe(1);
    await admin.page.getByRole("button", { name: "Lock", exact: true }).click();
    await admin.page.getByRole("button", { name: "Lock carol" }).click();
    await admin.page.getByTestId("admin-user").getByText("Locked").waitFor();

    await waitForHeading(victim.page, "You have been logged out");
    expect(await victim.page.getByTestId("session-ended").textContent()).toContain("An administrator locked your account");

    await admin.page.getByRole("button", { name: "Unlock carol" }).click();
    await admin.page.getByRole("status").filter({ hasText: "carol is unlocked." }).waitFor();
    await admin.page.getByRole("button", { name: "Delete", exact: true }).click();
    expect(await admin.page.getByRole("group").textContent()).toContain("Delete carol (carol@example.test) for good");
    await admin.page.getByRole("button", { name: "Delete carol" }).click();
    await expect.poll(() => admin.page.getByTestId("admin-user").count()).toBe(0);
    await admin.context.close();
    await victim.context.close();
  });
});
