// JSON-RPC 2.0 over stdio, one JSON message per line, as the Prisma CLI speaks to its schema
// engine. Traffic goes both ways: the CLI sends method calls, and the engine may call back
// (`print`) while one of those is still running, so answers to our own calls are matched by id
// as soon as they arrive, while the CLI's calls run one after another (the engine is not
// re-entrant).

import readline from "node:readline";

const PARSE_ERROR = -32700;

/**
 * @typedef {{ code: number, message: string, data?: unknown }} RpcError
 * @typedef {(method: string, params: unknown) => Promise<unknown>} RequestHandler
 */

export class JsonRpcConnection {
  #nextOutgoingId = 1;
  /** @type {Map<number, { resolve: (value: unknown) => void, reject: (error: Error) => void }>} */
  #awaitingAnswer = new Map();
  /** @type {Promise<unknown>} */
  #queue = Promise.resolve();

  /**
   * @param {{ input: NodeJS.ReadableStream, output: NodeJS.WritableStream,
   *           handleRequest: RequestHandler, describeError: (error: unknown) => RpcError }} options
   */
  constructor({ input, output, handleRequest, describeError }) {
    this.input = input;
    this.output = output;
    this.handleRequest = handleRequest;
    this.describeError = describeError;
  }

  /** Serves calls until the CLI closes our stdin and the last call has been answered. */
  async serve() {
    const lines = readline.createInterface({ input: this.input, crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() !== "") this.#receive(line);
    }
    await this.#queue;
  }

  /** Calls a method on the CLI side and waits for its answer. */
  call(/** @type {string} */ method, /** @type {unknown} */ params) {
    const id = this.#nextOutgoingId++;
    return new Promise((resolve, reject) => {
      this.#awaitingAnswer.set(id, { resolve, reject });
      this.#send({ jsonrpc: "2.0", id, method, params });
    });
  }

  #receive(/** @type {string} */ line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      this.#send({ jsonrpc: "2.0", id: null, error: { code: PARSE_ERROR, message: "Parse error" } });
      return;
    }
    if (typeof message.method === "string") {
      this.#queue = this.#queue.then(() => this.#answer(message));
      return;
    }
    this.#settleOwnCall(message);
  }

  async #answer(/** @type {{ id?: unknown, method: string, params?: unknown }} */ request) {
    let reply;
    try {
      const result = await this.handleRequest(request.method, request.params);
      // A unit result is `null` in the native engine; `undefined` would drop the field.
      reply = { jsonrpc: "2.0", id: request.id, result: result ?? null };
    } catch (error) {
      reply = { jsonrpc: "2.0", id: request.id, error: this.describeError(error) };
    }
    // Requests without an id are notifications and get no answer.
    if (request.id !== undefined) this.#send(reply);
  }

  #settleOwnCall(/** @type {{ id?: number, result?: unknown, error?: RpcError }} */ answer) {
    const waiting = answer.id === undefined ? undefined : this.#awaitingAnswer.get(answer.id);
    if (!waiting || answer.id === undefined) return;
    this.#awaitingAnswer.delete(answer.id);
    if (answer.error) waiting.reject(new Error(answer.error.message));
    else waiting.resolve(answer.result);
  }

  #send(/** @type {object} */ message) {
    this.output.write(`${JSON.stringify(message)}\n`);
  }
}
