import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBrowser, type TestBrowser } from "./support/browser.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

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

describe("the web interface", () => {
  it("is served by the hub over HTTPS and connects to it", async () => {
    const { context, page } = await browser.newMachine();
    await page.goto("/login");
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("Log in");
    await page.getByRole("status").filter({ hasText: "Connected" }).waitFor();
    await context.close();
  });
});
