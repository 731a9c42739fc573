import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { asCliFailure } from "./cli-failure.ts";

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("asCliFailure", () => {
  it("says in words what is wrong with a path the person gave, instead of the system's error code", () => {
    const folder = mkdtempSync(join(tmpdir(), "pairgate-failure-"));
    folders.push(folder);
    const file = join(folder, "not-a-folder");
    writeFileSync(file, "");
    let thrown: unknown;
    try {
      statSync(join(file, "private-key.pem"));
    } catch (error) {
      thrown = error;
    }
    const failure = asCliFailure(thrown);
    expect(failure.code).toBe("file_problem");
    expect(failure.message).toBe(`Cannot use ${join(file, "private-key.pem")}: a part of that path is a file, not a folder. Check PAIRGATE_HOME (or the path given) and try again.`);
  });

  it("keeps the cause's own words for anything else", () => {
    expect(asCliFailure(new Error("odd")).message).toBe("Something went wrong: odd");
  });
});
