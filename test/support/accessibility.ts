import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export interface SeriousViolation {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * axe-core's verdict on the page as it is now: only serious and critical violations. axe is
 * evaluated through the DevTools protocol, which the page's Content-Security-Policy does not
 * govern, so the page is audited under its real policy (no bypass, no inline script tag).
 */
export async function seriousViolations(page: Page): Promise<SeriousViolation[]> {
  const loaded = await page.evaluate("typeof window.axe === 'object'");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { resultTypes: ["violations"] }).then((result) => result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) })))`,
  )) as SeriousViolation[];
  return violations.filter((violation) => violation.impact === "serious" || violation.impact === "critical");
}

/** Collects the page's Content-Security-Policy violations (none may happen). */
export function watchPolicyViolations(page: Page): string[] {
  const seen: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) seen.push(message.text());
  });
  return seen;
}
