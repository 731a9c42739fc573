import { createHash, X509Certificate } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import type { TestHub } from "./hub.ts";

/** Debian's Chromium (`apt-get install chromium`); Playwright's own browser downloads are never used. */
const CHROMIUM = "/usr/bin/chromium";

// Without these, Chromium on these machines spends its time on refused connections and updates.
const QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export const DESKTOP = { width: 1280, height: 860 } as const;
export const PHONE = { width: 390, height: 844 } as const;

const SCREENSHOT_DIR = path.resolve(import.meta.dirname, "../../docs/screenshots");

export interface TestBrowser {
  browser: Browser;
  /** A fresh browser profile (its own IndexedDB and cookies): to the hub, a machine of its own. */
  newMachine(options?: BrowserContextOptions): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/**
 * The SPKI pin Chromium accepts for exactly this certificate (base64 of the SHA-256 of its
 * DER SubjectPublicKeyInfo): the browser trusts the test hub's certificate and no other.
 */
export function spkiPin(certificatePem: string): string {
  const spki = new X509Certificate(certificatePem).publicKey.export({ type: "spki", format: "der" });
  return createHash("sha256").update(spki).digest("base64");
}

/** Headless Chromium trusting the hub's own server certificate, and nothing else it would not trust anyway. */
export function startTestBrowser(hub: TestHub): Promise<TestBrowser> {
  return startBrowserFor({ url: hub.url, certDir: hub.settings.certDir });
}

const troubles = new WeakMap<Page, string[]>();

/** What went wrong in the page, as the browser saw it, for a test's failure message. */
export function pageTrouble(page: Page): string[] {
  return [...(troubles.get(page) ?? []), ...(page.isClosed() ? ["the page is closed"] : [])];
}

function watchForTrouble(page: Page): void {
  const seen: string[] = [];
  troubles.set(page, seen);
  page.on("pageerror", (error) => seen.push(`script error: ${error.message}`));
  page.on("requestfailed", (request) => seen.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? "no reason"})`));
  page.on("response", (response) => {
    if (response.status() >= 400) seen.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  page.on("crash", () => seen.push("the page crashed"));
}

/** The same, for a hub known by its address and certificate folder (a hub process, say). */
export async function startBrowserFor(hub: { url: string; certDir: string }): Promise<TestBrowser> {
  const pin = spkiPin(readFileSync(path.join(hub.certDir, "server.pem"), "utf8"));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET_FLAGS, `--ignore-certificate-errors-spki-list=${pin}`],
  });
  return {
    browser,
    async newMachine(options = {}) {
      const context = await browser.newContext({ viewport: DESKTOP, baseURL: hub.url, ...options });
      context.on("page", watchForTrouble);
      return { context, page: await context.newPage() };
    },
    close: () => browser.close(),
  };
}

/** Saves the page as docs/screenshots/NAME-desktop.png and NAME-phone.png (390 px wide). */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(before);
}
