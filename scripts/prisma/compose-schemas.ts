// One model definition, one Prisma schema per database.
//
// A Prisma schema names a single provider, and PairGate runs on SQLite by default and on
// PostgreSQL at scale. The models live once, in prisma/models.prisma; this script puts each
// provider's generator and datasource in front of them and writes prisma/<provider>/schema.prisma.
// Both results are checked in, so the Prisma CLI, migrations and reviews see ordinary schemas.
//
//   npm run db:compose              writes the schemas that are out of date
//   tsx scripts/prisma/compose-schemas.ts --check    exits 1 if one is out of date, writes nothing

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const SCHEMA_PROVIDERS = ["sqlite", "postgresql"] as const;
export type SchemaProvider = (typeof SCHEMA_PROVIDERS)[number];

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const MODELS_FILE = path.join(REPO_ROOT, "prisma/models.prisma");

export function composedSchemaFile(provider: SchemaProvider): string {
  return path.join(REPO_ROOT, "prisma", provider, "schema.prisma");
}

/** The schema of one provider: a notice, the generator and datasource, then the models. */
export function composeSchema(provider: SchemaProvider, modelsText: string): string {
  return `// Generated from prisma/models.prisma by scripts/prisma/compose-schemas.ts: do not edit.
// Change the models there, then run \`npm run db:compose\`.

generator client {
  provider     = "prisma-client"
  output       = "../../server/db/generated/${provider}"
  moduleFormat = "esm"
  compilerBuild = "small"
}

datasource db {
  provider = "${provider}"
}

${withoutFileComment(modelsText)}`;
}

/** Drops the models file's own opening comment (up to its first blank line): it speaks of that file. */
function withoutFileComment(modelsText: string): string {
  const lines = modelsText.replaceAll("\r\n", "\n").split("\n");
  let first = 0;
  while (first < lines.length && lines[first]!.startsWith("//")) first += 1;
  while (first < lines.length && lines[first]!.trim() === "") first += 1;
  return lines.slice(first).join("\n");
}

/** Providers whose checked-in schema differs from a fresh composition of prisma/models.prisma. */
export function staleSchemas(): SchemaProvider[] {
  const models = readFileSync(MODELS_FILE, "utf8");
  return SCHEMA_PROVIDERS.filter((provider) => readOrEmpty(composedSchemaFile(provider)) !== composeSchema(provider, models));
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function main(argv: string[]): number {
  const stale = staleSchemas();
  const relative = (provider: SchemaProvider) => path.relative(REPO_ROOT, composedSchemaFile(provider));
  if (argv.includes("--check")) {
    for (const provider of stale) console.error(`${relative(provider)} is out of date: run npm run db:compose`);
    return stale.length === 0 ? 0 : 1;
  }
  const models = readFileSync(MODELS_FILE, "utf8");
  for (const provider of stale) {
    mkdirSync(path.dirname(composedSchemaFile(provider)), { recursive: true });
    writeFileSync(composedSchemaFile(provider), composeSchema(provider, models));
    console.log(`wrote ${relative(provider)}`);
  }
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2));
}
