import { defineConfig } from "tsup";

/**
 * `npm run build`: the programs compiled to dist/, so that the installed commands run plain
 * JavaScript with no TypeScript compiler at run time (bin/launch.mjs picks dist/ when it is
 * there and up to date). Every entry and every shared chunk lands directly in dist/, one folder
 * below package.json: common/package-files.ts finds the package's own files (migrations,
 * package.json) from there, and the password pool finds its worker beside it.
 *
 * Third-party packages stay in node_modules (tsup leaves every dependency external), so the
 * compiled programs load the same modules as the sources do; only PairGate's own files, the
 * generated Prisma clients and the `#protocol`/`#otp` imports are bundled.
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
  external: ["bufferutil", "utf-8-validate"],
  banner: { js: 'import { createRequire as __pairgateCreateRequire } from "node:module"; const require = __pairgateCreateRequire(import.meta.url);' },
  esbuildOptions(options) {
    options.jsx = "automatic";
    // Stack traces point at the TypeScript sources; run with --enable-source-maps to see them.
    options.sourcesContent = false;
  },
});
