import { defineConfig } from "vitest/config";

// `npm test` runs the suite twice: on SQLite, then with PAIRGATE_TEST_DATABASE=postgresql. Files
// named *-sqlite.test.ts are about SQLite itself and run only in the first pass; files named
// *-postgresql.test.ts only in the second. Every other test runs in both, on that pass's database.
const onPostgres = process.env.PAIRGATE_TEST_DATABASE === "postgresql";

export default defineConfig({
  test: {
    include: ["**/*.test.ts", "**/*.test.tsx"],
    exclude: ["node_modules/**", "data/**", onPostgres ? "**/*-sqlite.test.ts" : "**/*-postgresql.test.ts"],
    globalSetup: ["test/support/global-setup.ts", "test/support/web-build.ts"],
    // Tests wait for positive markers; the limits only catch a hang, so a loaded machine gets room.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Each file starts its own hub on port 0; two at a time matches the two cores here.
    maxWorkers: 2,
    minWorkers: 1,
  },
});
