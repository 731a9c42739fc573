// Prisma CLI configuration (prisma generate, migrate, validate, ...).
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Every Prisma 7 command first looks for the native schema-engine binary and tries to download
// it, which fails offline. Our stand-in runs the same engine compiled to WebAssembly
// (scripts/prisma/schema-engine.mjs); anyone who has the native binary can still point
// PRISMA_SCHEMA_ENGINE_BINARY at it, and that choice wins.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(new URL("./scripts/prisma/schema-engine.mjs", import.meta.url));
}

export default defineConfig({
  schema: "prisma/sqlite/schema.prisma",
  migrations: { path: "prisma/sqlite/migrations" },
  datasource: { url: process.env.DATABASE_URL || "file:./data/pairgate.db" },
});
