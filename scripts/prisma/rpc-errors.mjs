// Errors as the native schema engine reports them over JSON-RPC.

import { wasmPanics } from "./wasm-schema-engine.mjs";

const METHOD_NOT_FOUND = -32601;
// The code the native engine puts on every error whose details are in `data`.
const ENGINE_ERROR = 4466;
const PRISMA_ERROR_CODE = /^P\d{4}$/;

export function methodNotFound(/** @type {string} */ method) {
  return Object.assign(new Error(`Method not found: ${method}`), { rpcCode: METHOD_NOT_FOUND });
}

/**
 * A JSON-RPC error the CLI can read: it shows `data.message`, prefixed with `data.error_code`
 * when there is one, and treats `data.is_panic` as an engine crash.
 * @returns {import("./json-rpc-connection.mjs").RpcError}
 */
export function describeError(/** @type {any} */ error) {
  if (typeof error?.rpcCode === "number") return { code: error.rpcCode, message: error.message };
  if (error instanceof WebAssembly.RuntimeError) return describePanic(error);
  const message = error instanceof Error ? error.message : String(error);
  const data = { is_panic: false, message, meta: error?.meta ?? {} };
  // Only Prisma's own codes: the CLI prints `error_code` as the error's headline.
  if (PRISMA_ERROR_CODE.test(String(error?.code))) Object.assign(data, { error_code: error.code });
  return { code: ENGINE_ERROR, message: "An error happened. Check the data field for details.", data };
}

function describePanic(/** @type {Error} */ error) {
  const message = wasmPanics.lastMessage ?? error.message;
  // Marks the process as crashed: later calls are refused and it exits with code 101.
  wasmPanics.lastMessage = message;
  return {
    code: ENGINE_ERROR,
    message,
    data: { is_panic: true, message, backtrace: error.stack ?? "" },
  };
}
