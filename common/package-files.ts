import { join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package's own files, found the same way from the TypeScript sources and from the compiled
 * dist/: this module sits in common/ in a checkout, and is bundled into a file directly in dist/
 * by the build (tsup.config.ts), so in both cases the package's root (package.json, prisma/) is
 * the folder above.
 */
export const PACKAGE_ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** Whether this code runs compiled (dist/*.js) rather than from its sources through tsx. */
export const RUNS_COMPILED: boolean = !import.meta.url.endsWith(".ts");

/** A file or folder of the package, named from its root: `packageFile("prisma", "sqlite")`. */
export function packageFile(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts);
}
