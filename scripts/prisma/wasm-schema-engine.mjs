// Loads Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm).
//
// The package's own entry point does `import * as wasm from "./schema_engine_bg.wasm"`, which
// Node 20 only accepts behind --experimental-wasm-modules, so the module is instantiated here
// by hand with the package's generated JS glue as its import object.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);

/** @type {Promise<typeof import("@prisma/schema-engine-wasm")> | undefined} */
let loading;

/** Loads the Wasm module once per process and returns its JS bindings. */
export function loadSchemaEngineWasm() {
  loading ??= instantiate();
  return loading;
}

async function instantiate() {
  const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const glue = await import(pathToFileURL(gluePath).href);
  const bytes = await readFile(path.join(path.dirname(gluePath), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": glue });
  glue.__wbg_set_wasm(instance.exports);
  /** @type {any} */ (instance.exports).__wbindgen_start();
  return glue;
}

/**
 * The Rust panic hook reports through this global before the Wasm traps with a bare
 * "unreachable"; keeping the last message lets the JSON-RPC layer report a real reason.
 */
export const wasmPanics = { lastMessage: /** @type {string | undefined} */ (undefined) };
/** @type {any} */ (globalThis).PRISMA_WASM_PANIC_REGISTRY = {
  set_message(/** @type {string} */ message) {
    wasmPanics.lastMessage = message;
  },
};

/**
 * Starts one engine over a migration-aware adapter factory (already bound with
 * bindMigrationAwareSqlAdapterFactory). The engine connects at once.
 * @param {{ datamodels: [string, string][] | undefined, adapterFactory: object, onLog: (line: string) => void }} options
 */
export async function startWasmSchemaEngine({ datamodels, adapterFactory, onLog }) {
  const wasm = await loadSchemaEngineWasm();
  return wasm.SchemaEngine.new({ datamodels }, onLog, adapterFactory);
}

/** The git hash of prisma-engines that the Wasm build came from. */
export async function wasmEngineCommit() {
  const wasm = await loadSchemaEngineWasm();
  return wasm.version();
}
