import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations } from "./support/accessibility.ts";
import { screenshotBothWidths, startBrowserFor, type TestBrowser } from "./support/browser.ts";
import { newAccount } from "./support/client.ts";
import { launchHubProcess, type HubProcess } from "./support/hub-process.ts";
import { openPage, waitForHeading } from "./support/web-pages.ts";

// The page's connection to the hub over time, in a real Chromium against a hub process: the hub
// closing an idle anonymous socket, and the hub itself stopping and starting again on the same
// port and database. The indicator must say what is true, and nothing alarming may appear.

const root = mkdtempSync(path.join(os.tmpdir(), "pairgate-web-connection-"));
const env = { PAIRGATE_DATA_DIR: path.join(root, "data"), PAIRGATE_CERT_DIR: path.join(root, "certs"), PAIRGATE_REQUIRE_EMAIL_VERIFICATION: "false", PAIRGATE_LOG_LEVEL: "warn" };
// The hub's own limit on a quiet socket that has not logged in (anonymous-sockets.ts), and room for a slow machine.
const IDLE_CLOSE_WAIT_MS = 10_000 + 20_000;
const ACCOUNT = newAccount("quinn");

let hub: HubProcess;
let browser: TestBrowser;
let page: Page;
beforeAll(async () => {
  hub = await launchHubProcess(env, root);
  browser = await startBrowserFor({ url: hub.url, certDir: env.PAIRGATE_CERT_DIR });
  ({ page } = await browser.newMachine());
});
afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  rmSync(root, { recursive: true, force: true });
});

function indicator(target: Page) {
  return target.getByRole("banner").getByRole("status");
}

async function indicatorShows(target: Page, state: string, timeout?: number): Promise<void> {
  await target.locator(`header [data-state="${state}"]`).waitFor({ timeout });
}

/** Every alert on the page is empty: nothing went wrong as far as the person can see. */
async function expectNoAlert(target: Page): Promise<void> {
  const alerts = await target.getByRole("alert").allTextContents();
  expect(alerts.filter((text) => text.trim() !== "")).toEqual([]);
}

describe("a page left open before logging in", () => {
  it("shows the sign-up page as idle, not broken, once the hub closes its quiet socket, and the account is still made", async () => {
    await page.goto("/signup");
    await waitForHeading(page, "Create your account");
    await indicatorShows(page, "connected");
    await indicatorShows(page, "idle", IDLE_CLOSE_WAIT_MS);
    expect(await indicator(page).textContent()).toBe("Idle");
    await expectNoAlert(page);

    await page.getByLabel("Username").fill(ACCOUNT.username);
    await page.getByLabel("Email").fill(ACCOUNT.email);
    await page.getByLabel("Password").fill(ACCOUNT.password);
    await page.getByText("Strong enough.").waitFor();
    await page.getByRole("button", { name: "Create account" }).click();
    await waitForHeading(page, "Log in");
    await indicatorShows(page, "connected");
  });

  it("logs in from a login page that sat idle, with no error shown", async () => {
    // A fresh page load: a socket that has sent nothing yet (the one that made the account stays).
    await page.reload();
    await waitForHeading(page, "Log in");
    await indicatorShows(page, "idle", IDLE_CLOSE_WAIT_MS);
    await expectNoAlert(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshotBothWidths(page, "log-in-idle");
    await expect.poll(() => page.getByLabel("Username").inputValue()).toBe(ACCOUNT.username);
    await page.getByLabel("Password", { exact: true }).fill(ACCOUNT.password);
    await page.getByRole("button", { name: "Continue" }).click();
    await waitForHeading(page, "Your account");
    await indicatorShows(page, "connected");
  });
});

describe("a hub restart", { timeout: 240_000 }, () => {
  it("shows the page reconnecting while the hub is down, then reconnects by itself with the session intact", async () => {
    await openPage(page, "/account/sessions", "Sessions");
    await page.getByText("This session").waitFor();
    const port = new URL(hub.url).port;
    await hub.stop();
    await indicatorShows(page, "reconnecting");
    expect(await indicator(page).textContent()).toBe("Reconnecting…");
    await screenshotBothWidths(page, "account-reconnecting");

    hub = await launchHubProcess({ ...env, PAIRGATE_PORT: port }, root);
    // A hub started under tsx on a loaded machine, then the page's own back-off: room for both.
    await indicatorShows(page, "connected", 120_000);
    // The same page, not reloaded: the session still answers over the new connection.
    const sections = page.getByRole("navigation", { name: "Account" });
    await sections.getByRole("link", { name: "Overview" }).click();
    await waitForHeading(page, "Your account");
    await expect.poll(() => page.getByTestId("signed-in-as").textContent()).toContain(ACCOUNT.username);
    await sections.getByRole("link", { name: "Sessions" }).click();
    await waitForHeading(page, "Sessions");
    await page.getByText("This session").waitFor();
    await expectNoAlert(page);
  });
});
