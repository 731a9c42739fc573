// Vitest global setup: the browser tests load the built app from dist/web, so build it once
// before the run when any of its sources is newer than the last build (or there is none).

import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BUILT_INDEX = path.join(ROOT, "dist/web/index.html");
// What the bundle is made of: the app, and the shared modules it imports.
const SOURCES = ["web", "protocol", "common"];

/** The newest modification time (ms) of any file below `dir`. */
export function newestChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

export default function setup(): void {
  const built = existsSync(BUILT_INDEX) ? statSync(BUILT_INDEX).mtimeMs : 0;
  const changed = Math.max(...SOURCES.map((dir) => newestChange(path.join(ROOT, dir))));
  if (built > changed) return;
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync("npm", ["run", "--silent", "build:web"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"], env: { ...process.env, NODE_ENV: "production" } });
}
