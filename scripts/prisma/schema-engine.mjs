#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, for machines that cannot download it.
//
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY here (unless it is already set). The CLI
// then starts this script wherever it would start the binary, and this script hands the work to
// the WebAssembly build of the same engine (@prisma/schema-engine-wasm), connected to the
// database through Prisma's JS driver adapter. The protocol and the Wasm package are Prisma
// internals: keep every prisma package pinned exactly and test/prisma-migrations.test.ts green.

import { parseEngineArguments } from "./engine-arguments.mjs";
import { logEngineError } from "./engine-log.mjs";
import { EngineSession } from "./engine-session.mjs";
import { JsonRpcConnection } from "./json-rpc-connection.mjs";
import { runOneShotCommand } from "./one-shot-commands.mjs";
import { describeError } from "./rpc-errors.mjs";
import { createMethodHandler } from "./rpc-methods.mjs";
import { wasmEngineCommit, wasmPanics } from "./wasm-schema-engine.mjs";

try {
  await main(process.argv.slice(2));
} catch (error) {
  // The CLI quotes the engine's last ERROR log line when the engine exits with code 1.
  logEngineError({ message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}

async function main(/** @type {string[]} */ argv) {
  const engineArguments = parseEngineArguments(argv);
  if (engineArguments.version) {
    // The CLI shows the second word as the engine version: the commit the Wasm was built from.
    process.stdout.write(`schema-engine-cli ${await wasmEngineCommit()}\n`);
    return;
  }
  if (engineArguments.oneShotCommand !== undefined) {
    process.exitCode = await runOneShotCommand(engineArguments.oneShotCommand, engineArguments.datasource);
    return;
  }
  await serveCli(engineArguments);
}

async function serveCli(/** @type {import("./engine-arguments.mjs").EngineArguments} */ args) {
  const session = new EngineSession(args);
  /** @type {JsonRpcConnection} */
  const connection = new JsonRpcConnection({
    input: process.stdin,
    output: process.stdout,
    handleRequest: (method, params) => handle(method, params),
    describeError,
  });
  const handle = createMethodHandler(session, connection);
  // The CLI ends our stdin and, on Unix, sends SIGTERM straight after. Closing the SQLite
  // connection properly is what removes its journal file, so both paths close the session.
  process.once("SIGTERM", () => {
    session.close().finally(() => process.exit(exitCode()));
  });
  await connection.serve();
  await session.close();
  process.exitCode = exitCode();
}

// 101 is the native engine's exit code after a panic; the CLI reports it as a crash.
function exitCode() {
  return wasmPanics.lastMessage === undefined ? 0 : 101;
}
