// Prisma CLI configuration for PostgreSQL: `npx prisma <command> --config prisma.postgresql.config.ts`
// (npm run db:migrate:pg, db:generate). prisma.config.ts, the default, is SQLite's.
import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// As in prisma.config.ts: the offline schema engine stand-in, unless a native engine is set.
if (!process.env.PRISMA_SCHEMA_ENGINE_BINARY) {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY = fileURLToPath(new URL("./scripts/prisma/schema-engine.mjs", import.meta.url));
}

// A development database on the local server; DATABASE_URL wins when it names PostgreSQL.
const DEVELOPMENT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/pairgate";
const configured = process.env.DATABASE_URL;

export default defineConfig({
  schema: "prisma/postgresql/schema.prisma",
  migrations: { path: "prisma/postgresql/migrations" },
  datasource: { url: configured && /^postgres(ql)?:\/\//.test(configured) ? configured : DEVELOPMENT_DATABASE_URL },
});
