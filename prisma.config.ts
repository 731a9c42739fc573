// Prisma CLI configuration (prisma generate, migrate, validate, ...) for SQLite, the default.
// PostgreSQL has its own: prisma.postgresql.config.ts, chosen with --config.
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// Every Prisma 7 command first looks for the native schema-engine binary and tries to download
// it, which fails offline. Our stand-in runs the same engine compiled to WebAssembly
// (scripts/prisma/schema-engine.mjs); anyone who has the native binary can still point
// PRISMA_SCHEMA_ENGINE_BINARY at it, and that choice wins.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(new URL("./scripts/prisma/schema-engine.mjs", import.meta.url));
}

// DATABASE_URL may name the hub's PostgreSQL database; that is prisma.postgresql.config.ts's
// business, so this SQLite configuration then keeps to the default file.
const DEFAULT_DATABASE_URL = "file:./data/pairgate.db";
const configured = process.env.DATABASE_URL;
if (configured && !configured.startsWith("file:")) {
  console.warn(`prisma.config.ts is for SQLite and uses ${DEFAULT_DATABASE_URL}; for DATABASE_URL's database add --config prisma.postgresql.config.ts`);
}

export default defineConfig({
  schema: "prisma/sqlite/schema.prisma",
  migrations: { path: "prisma/sqlite/migrations" },
  datasource: { url: configured?.startsWith("file:") ? configured : DEFAULT_DATABASE_URL },
});
