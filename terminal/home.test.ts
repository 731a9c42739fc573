import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pairgateHome, writePrivateFileAtomically } from "./home.ts";

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-home-"));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("the state folder", () => {
  it("is PAIRGATE_HOME when set, else under XDG_CONFIG_HOME, else under ~/.config", () => {
    expect(pairgateHome({ PAIRGATE_HOME: "/srv/pg", XDG_CONFIG_HOME: "/x" })).toBe("/srv/pg");
    expect(pairgateHome({ XDG_CONFIG_HOME: "/x" })).toBe("/x/pairgate");
    expect(pairgateHome({})).toMatch(/\.config\/pairgate$/);
  });
});

describe("atomic private writes", () => {
  it("create the file 0600 inside a new 0700 folder", async () => {
    const file = join(folder, "state", "session.json");
    await writePrivateFileAtomically(file, "first");
    expect(await readFile(file, "utf8")).toBe("first");
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(folder, "state"))).mode & 0o777).toBe(0o700);
  });

  it("replace the whole content and leave no temporary file behind", async () => {
    const file = join(folder, "session.json");
    await writePrivateFileAtomically(file, "a much longer first version");
    await writePrivateFileAtomically(file, "second");
    expect(await readFile(file, "utf8")).toBe("second");
    expect(await readdir(folder)).toEqual(["session.json"]);
  });

  it("tighten an existing folder that others could read", async () => {
    const state = join(folder, "open");
    await mkdir(state);
    await chmod(state, 0o755);
    await writePrivateFileAtomically(join(state, "f"), "x");
    expect((await stat(state)).mode & 0o777).toBe(0o700);
  });
});
