// Starts one of the package's programs: the compiled JavaScript in dist/ when it is there and
// up to date, else the TypeScript sources through tsx (a checkout before `npm run build`, or
// one whose sources changed since). An installed package holds dist/ and no sources, so it
// always runs compiled code, with no TypeScript compiler loaded.
import { existsSync, readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = new URL("../", import.meta.url);
/** The folders the build compiles (tsup.config.ts): a newer file in one makes dist/ stale. */
const SOURCE_FOLDERS = ["protocol", "otp", "common", "terminal", "cli-client", "device-app", "server"];
const COMPILED_SOURCE = /(?<!\.test)\.tsx?$/;

/**
 * Imports `dist/<compiled>.js`, or `source` (a path from the package root) through tsx.
 * PAIRGATE_RUN_FROM=source forces the sources, =dist the compiled files even when stale.
 */
export async function launch(compiled, source) {
  keepQuietWhenTheReaderLeaves();
  const built = new URL(`dist/${compiled}.js`, PACKAGE_ROOT);
  if (chooseCompiled(built)) return import(built.href);
  // tsx reads the tsconfig of the working directory unless told otherwise: the package's own
  // one is named, so that JSX is compiled the same way from any folder.
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: fileURLToPath(new URL("tsconfig.json", PACKAGE_ROOT)) });
  return import(new URL(source, PACKAGE_ROOT).href);
}

/**
 * `pairgate-hub --help | head -1`: the reader closed the pipe, so what is left to print has no
 * one to read it. The program carries on without it instead of dying on an unhandled EPIPE with
 * a stack trace.
 */
function keepQuietWhenTheReaderLeaves() {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error) => {
      if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    });
  }
}

function chooseCompiled(built) {
  const wanted = process.env.PAIRGATE_RUN_FROM;
  if (wanted === "source") return false;
  if (!existsSync(built)) return false;
  if (wanted === "dist") return true;
  return !sourcesNewerThan(statSync(built).mtimeMs);
}

/**
 * Whether a TypeScript source changed after the build. Only a checkout has them: an installed
 * package has none (and npm gives its files the time they were unpacked, so no other file's
 * time says anything).
 */
function sourcesNewerThan(builtAtMs) {
  const pending = SOURCE_FOLDERS.map((folder) => fileURLToPath(new URL(folder, PACKAGE_ROOT))).filter((folder) => existsSync(folder));
  while (pending.length > 0) {
    const folder = pending.pop();
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = `${folder}/${entry.name}`;
      if (entry.isDirectory()) pending.push(path);
      else if (COMPILED_SOURCE.test(entry.name) && statSync(path).mtimeMs > builtAtMs) return true;
    }
  }
  return false;
}
