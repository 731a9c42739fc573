import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", "data/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Each file starts its own hub on port 0; two at a time matches the two cores here.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
