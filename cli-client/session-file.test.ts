import { mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { homePaths, type HomePaths } from "../terminal/home.ts";
import { loadSession, saveSession, type StoredSession } from "./session-file.ts";

let paths: HomePaths;
const session: StoredSession = {
  hub: "https://127.0.0.1:8443",
  username: "alice",
  token: "dG9rZW4",
  expiresAt: "2030-01-01T00:00:00.000Z",
  sessionId: "s1",
};

beforeEach(async () => {
  paths = homePaths(await mkdtemp(join(tmpdir(), "pairgate-session-")));
});

afterEach(async () => {
  await rm(paths.home, { recursive: true, force: true });
});

it("keeps a saved session in a 0600 file and reads it back", async () => {
  await saveSession(paths, session);
  expect((await stat(paths.session)).mode & 0o777).toBe(0o600);
  expect(await loadSession(paths, new Date("2029-12-31T00:00:00Z"))).toEqual(session);
});

it("forgets a session once its expiry time has passed", async () => {
  await saveSession(paths, session);
  expect(await loadSession(paths, new Date("2030-01-02T00:00:00Z"))).toBeUndefined();
  await expect(stat(paths.session)).rejects.toThrow();
});

it("treats a damaged session file as no session", async () => {
  await writeFile(paths.session, "{ not json", { mode: 0o600 });
  expect(await loadSession(paths)).toBeUndefined();
});
