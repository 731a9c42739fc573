// The Wasm engines one stand-in process runs for the CLI.
//
// The native engine connects lazily, so commands like `migrate diff --from-migrations ...`
// never touch the configured database. The Wasm engine connects as soon as it is built, so it
// is built only when a call needs it, and diffs that read no database get an in-memory twin.

import { readFile } from "node:fs/promises";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import { databaseTargetFor } from "./database-target.mjs";
import { forwardEngineLog } from "./engine-log.mjs";
import { startWasmSchemaEngine, wasmPanics } from "./wasm-schema-engine.mjs";

/** @typedef {import("@prisma/schema-engine-wasm").SchemaEngine} WasmSchemaEngine */

export class EngineSession {
  /** @type {ReturnType<typeof databaseTargetFor> | undefined} */
  #database;
  /** @type {Promise<WasmSchemaEngine> | undefined} */
  #mainEngine;
  /** @type {Promise<WasmSchemaEngine> | undefined} */
  #scratchEngine;
  /** @type {ReturnType<typeof databaseTargetFor> | undefined} */
  #scratchDatabase;

  /** @param {import("./engine-arguments.mjs").EngineArguments} engineArguments */
  constructor({ datasource, datamodelPaths }) {
    this.datasource = datasource;
    this.datamodelPaths = datamodelPaths;
  }

  /** The configured database; resolving it late turns a bad URL into an error on the first call. */
  get database() {
    this.#database ??= databaseTargetFor(this.datasource);
    return this.#database;
  }

  /** The engine connected to the configured database. */
  mainEngine() {
    this.#mainEngine ??= this.#start(this.database);
    return this.#mainEngine;
  }

  /** An engine over a database of the same provider that may be emptied (see scratchTwin). */
  scratchEngine() {
    this.#scratchEngine ??= this.#startScratch();
    return this.#scratchEngine;
  }

  /** Closes the connection to the configured database and empties it as the native engine would. */
  async resetDatabase() {
    await this.#stopMainEngine();
    await this.database.reset();
  }

  async close() {
    await this.#stopMainEngine();
    const scratch = this.#scratchEngine;
    this.#scratchEngine = undefined;
    if (scratch) freeEngine(await scratch.catch(() => undefined));
    await this.#scratchDatabase?.dispose();
    this.#scratchDatabase = undefined;
  }

  async #startScratch() {
    this.#scratchDatabase = this.database.scratchTwin();
    await this.#scratchDatabase.create();
    return this.#start(this.#scratchDatabase);
  }

  async #stopMainEngine() {
    const engine = this.#mainEngine;
    this.#mainEngine = undefined;
    if (engine) freeEngine(await engine.catch(() => undefined));
    if (this.#database) await this.#database.closeConnections();
  }

  async #start(/** @type {ReturnType<typeof databaseTargetFor>} */ database) {
    return startWasmSchemaEngine({
      datamodels: await this.#readDatamodels(),
      adapterFactory: bindMigrationAwareSqlAdapterFactory(/** @type {any} */ (database.adapterFactory())),
      onLog: forwardEngineLog,
    });
  }

  /** The native engine takes schema file paths; the Wasm engine wants [path, content] pairs. */
  async #readDatamodels() {
    if (this.datamodelPaths.length === 0) return undefined;
    /** @type {[string, string][]} */
    const pairs = [];
    for (const file of this.datamodelPaths) pairs.push([file, await readFile(file, "utf8")]);
    return pairs;
  }
}

/** After a panic the Wasm instance is in an undefined state, and even freeing it traps. */
function freeEngine(/** @type {WasmSchemaEngine | undefined} */ engine) {
  if (engine && wasmPanics.lastMessage === undefined) engine.free();
}
