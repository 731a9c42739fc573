import type { BrowserContext, Page } from "playwright-core";
import { watchPolicyViolations } from "./accessibility.ts";
import { browserLogIn } from "./browser-session.ts";
import { pageTrouble, type TestBrowser } from "./browser.ts";
import type { TestAccount } from "./client.ts";
import type { TestHub } from "./hub.ts";

/**
 * A browser of its own, logged in as `account`, its session got the way the web app gets it
 * (POST /api/web/login). The cookie is HttpOnly, so the test hands the browser the cookie the hub set.
 */
export async function loggedInBrowser(hub: TestHub, browser: TestBrowser, account: TestAccount): Promise<{ context: BrowserContext; page: Page; policy: string[] }> {
  const { cookie } = await browserLogIn(hub, account);
  const [name, value] = cookie.split("=") as [string, string];
  const { context, page } = await browser.newMachine();
  await context.addCookies([{ name, value, url: hub.url, httpOnly: true, secure: true, sameSite: "Strict" }]);
  return { context, page, policy: watchPolicyViolations(page) };
}

/** Goes to `path` and waits for the page's own heading. */
export async function openPage(page: Page, path: string, title: string): Promise<void> {
  await page.goto(path);
  await waitForHeading(page, title);
}

/** Waits for the page titled `title`; failing, says what the browser shows instead. */
export async function waitForHeading(page: Page, title: string): Promise<void> {
  try {
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
  } catch (error) {
    const shown = await page.locator("main").innerText({ timeout: 2_000 }).catch(() => "(no page)");
    const trouble = pageTrouble(page);
    throw new Error(`expected the page "${title}", the browser shows:\n${shown}${trouble.length > 0 ? `\nseen in the page (some may be expected, such as a refused password):\n${trouble.join("\n")}` : ""}`, { cause: error });
  }
}
