// Log lines on stderr, in the JSON shape the native engine's tracing output has.
// The Prisma CLI parses every stderr line as JSON: it keeps `fields.message` for its own error
// reports, and in the one-shot `cli` commands it looks for a line with level ERROR and target
// "schema_engine::logger" carrying `fields.error_code`.

const ENGINE_TARGET = "schema_engine::logger";

/**
 * @param {"INFO" | "WARN" | "ERROR"} level
 * @param {Record<string, unknown> & { message: string }} fields
 */
export function writeLogLine(level, fields) {
  const line = { timestamp: new Date().toISOString(), level, fields, target: ENGINE_TARGET };
  process.stderr.write(`${JSON.stringify(line)}\n`);
}

/** Log lines from the Wasm engine already have the native shape; pass them through. */
export function forwardEngineLog(/** @type {unknown} */ line) {
  process.stderr.write(`${String(line).trimEnd()}\n`);
}

/**
 * A user-facing error as the native engine logs it before exiting with code 1.
 * @param {{ code?: string, message: string }} error
 */
export function logEngineError({ code, message }) {
  writeLogLine("ERROR", { is_panic: false, error_code: code, message });
}
