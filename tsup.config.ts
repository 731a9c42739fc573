import { defineConfig } from "tsup";

/**
 * `npm run build`: the programs compiled to dist/, so that the installed commands run plain
 * JavaScript with no TypeScript compiler at run time (bin/launch.mjs picks dist/ when it is
 * there and up to date). Every entry and every shared chunk lands directly in dist/, one folder
 * below package.json: common/package-files.ts finds the package's own files (migrations,
 * package.json) from there, and the password pool finds its worker beside it.
 *
 * The pure-JavaScript packages every start needs (express, Socket.IO and its client, zod,
 * commander, ...) are bundled in: Node's module loader spent more time finding, reading and
 * linking their hundreds of files than running them (`npm run bench:cold-start`; the figures
 * before and after are in docs/PERFORMANCE.md). Packages with native code, worker files, WebAssembly or
 * files of their own (Prisma, better-sqlite3, piscina, pino, Ink and React, the lazily loaded
 * ones) stay external in node_modules. Bundled CommonJS still calls `require` for Node's
 * built-ins, so each output file defines one (the banner).
 */
export default defineConfig({
  entry: {
    pairgate: "cli-client/main.ts",
    "pairgate-device": "device-app/main.tsx",
    "pairgate-hub": "server/main.ts",
    "password-worker": "server/passwords/password-thread.ts",
  },
  outDir: "dist",
  format: ["esm"],
  platform: "node",
  target: "node20",
  // Shared code is split into chunks, and a dynamic import() stays lazy: the authenticator loads
  // Ink and React only when it opens its screen, the client loads nothing it does not run.
  splitting: true,
  sourcemap: true,
  // dist/web is the browser app's (npm run build:web), built after this.
  clean: ["!web/**"],
  treeshake: false,
  minify: false,
  shims: false,
  // Keep `node:` in the built-in imports, as in the sources.
  removeNodeProtocol: false,
  dts: false,
  tsconfig: "tsconfig.json",
  noExternal: ["express", "socket.io", "socket.io-client", "zod", "commander", "helmet", "rate-limiter-flexible", "otplib", "cors"],
  // ws's optional native speed-ups: used only when installed, never bundled.
  external: ["bufferutil", "utf-8-validate"],
  banner: { js: 'import { createRequire as __pairgateCreateRequire } from "node:module"; const require = __pairgateCreateRequire(import.meta.url);' },
  esbuildOptions(options) {
    options.jsx = "automatic";
    // Stack traces point at the TypeScript sources; run with --enable-source-maps to see them.
    options.sourcesContent = false;
  },
});
