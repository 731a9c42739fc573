// The README is what a newcomer follows from a fresh clone: it must describe what ships.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { environmentSchema } from "../server/config.ts";

const README = readFileSync(path.resolve(import.meta.dirname, "../README.md"), "utf8");

function section(title: string): string {
  const start = README.indexOf(`\n## ${title}\n`);
  expect(start, `section "${title}"`).toBeGreaterThan(-1);
  const end = README.indexOf("\n## ", start + 1);
  return README.slice(start, end === -1 ? undefined : end);
}

describe("the README", () => {
  it("lists every setting the hub reads in its settings table", () => {
    const table = section("Settings");
    for (const name of Object.keys(environmentSchema.shape)) expect(table, name).toContain(`| \`${name}\` |`);
  });

  it("promises nothing as still to come, and says each paragraph once", () => {
    expect(README).not.toMatch(/on the way|coming soon|not yet (built|available)/i);
    const paragraphs = README.split(/\n\s*\n/).map((text) => text.trim()).filter((text) => text.length > 40 && !text.startsWith("|"));
    const repeated = paragraphs.filter((text, index) => paragraphs.indexOf(text) !== index);
    expect(repeated).toEqual([]);
  });

  it("shows in the quick start how to become the first administrator, and the exit code of an interrupted npm start", () => {
    const quickStart = section("Quick start");
    expect(quickStart).toContain("npm run hub -- admin create alice");
    expect(quickStart).toMatch(/`npm start` itself\s+report 130/);
  });
});
