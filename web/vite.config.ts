import path from "node:path";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The browser app: built into dist/web, which the hub serves with a strict Content-Security-Policy
// (no inline script or style), so nothing here may inline a script or pull from another origin.
export default defineConfig({
  root: import.meta.dirname,
  base: "/",
  plugins: [react()],
  build: {
    outDir: path.resolve(import.meta.dirname, "../dist/web"),
    emptyOutDir: true,
    // The hub's CSP has no 'unsafe-inline': Vite's module-preload polyfill would be inline.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: "es2022",
    reportCompressedSize: false,
    // The password policy's dictionaries make a large chunk of their own, loaded only by the
    // pages that judge a new password.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry comments Rollup cannot place; they are only dropped.
        if (warning.code === "INVALID_ANNOTATION") return;
        warn(warning);
      },
    },
  },
});
