import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

describe("the password worker's entry point from the sources", () => {
  // Piscina require()s it first. A top-level await there makes require() throw, and two tasks
  // reaching a fresh thread at once then abort the whole process on Node 20 (a V8 fatal error
  // when the second require() meets the module the first one's import() is still loading).
  it("loads with require(), with no top-level await", async () => {
    const worker = createRequire(import.meta.url)("./password-worker.mjs") as Record<string, (task: unknown) => Promise<unknown>>;
    expect(Object.keys(worker).sort()).toEqual(["hash", "judge", "verify"]);
    const hash = (await worker.hash!({ password: "violet-ember-canyon-42", cost: 4 })) as string;
    await expect(worker.verify!({ password: "violet-ember-canyon-42", hash })).resolves.toBe(true);
    await expect(worker.verify!({ password: "not-the-password", hash })).resolves.toBe(false);
  });
});
