// A user-facing engine error, reported with a Prisma error code (P1xxx, P3xxx, ...).

export class EngineError extends Error {
  constructor(/** @type {string} */ code, /** @type {string} */ message, /** @type {object} */ meta = {}) {
    super(message);
    this.code = code;
    this.meta = meta;
  }
}
