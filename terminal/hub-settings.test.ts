import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CliFailure } from "./cli-failure.ts";
import { homePaths } from "./home.ts";
import { findCaFile, normalizeHubUrl, resolveHubTarget } from "./hub-settings.ts";

let folder: string;

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), "pairgate-settings-"));
});

afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe("hub addresses", () => {
  it("are reduced to their https origin", () => {
    expect(normalizeHubUrl("https://hub.example:8443/")).toBe("https://hub.example:8443");
  });

  it("are refused unless they use https, so TLS is never skipped", () => {
    expect(() => normalizeHubUrl("http://127.0.0.1:8443")).toThrow(/https:\/\//);
    expect(() => normalizeHubUrl("127.0.0.1:8443")).toThrow(CliFailure);
    expect(() => normalizeHubUrl("https://hub.example/client")).toThrow(/without a path/);
  });

  it("default to the saved session's hub, and an explicit --hub wins over it", async () => {
    const paths = homePaths(folder);
    expect((await resolveHubTarget({}, paths, "https://saved.example")).url).toBe("https://saved.example");
    expect((await resolveHubTarget({ hub: "https://other.example" }, paths, "https://saved.example")).url).toBe("https://other.example");
    expect((await resolveHubTarget({}, paths)).url).toBe("https://127.0.0.1:8443");
  });
});

describe("the CA file", () => {
  it("is the named file first, then $PAIRGATE_HOME/ca.pem, then ./certs/ca.pem", async () => {
    const paths = homePaths(join(folder, "home"));
    const cwd = join(folder, "work");
    await mkdir(join(cwd, "certs"), { recursive: true });
    await writeFile(join(cwd, "certs", "ca.pem"), "cwd ca");
    expect(await findCaFile("/named/ca.pem", paths, cwd)).toBe("/named/ca.pem");
    expect(await findCaFile(undefined, paths, cwd)).toBe(join(cwd, "certs", "ca.pem"));
    await mkdir(paths.home);
    await writeFile(paths.ca, "home ca");
    expect(await findCaFile(undefined, paths, cwd)).toBe(paths.ca);
  });

  it("that cannot be read is a usage error naming the file", async () => {
    const missing = join(folder, "nope.pem");
    await expect(resolveHubTarget({ ca: missing }, homePaths(folder))).rejects.toThrow(`Cannot read the CA file ${missing}: it does not exist. Check --ca or PAIRGATE_CA.`);
  });

  it("under a file is explained in words, without the error code", async () => {
    const file = join(folder, "plain-file");
    await writeFile(file, "");
    await expect(resolveHubTarget({ ca: join(file, "ca.pem") }, homePaths(folder))).rejects.toThrow(`Cannot read the CA file ${join(file, "ca.pem")}: a part of that path is a file, not a folder. Check --ca or PAIRGATE_CA.`);
  });
});
