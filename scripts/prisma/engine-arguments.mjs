// The command line the Prisma CLI gives the schema engine binary:
//   schema-engine [--datamodels <file>]... [--datasource <json>] [--enabled-preview-features <a,b>]
//                 [--extension-types <json>] [cli <command>]
//   schema-engine --version

import { parseArgs } from "node:util";

/**
 * @typedef {{ url?: string, shadowDatabaseUrl?: string }} Datasource
 * @typedef {{
 *   version: boolean,
 *   datamodelPaths: string[],
 *   datasource: Datasource,
 *   oneShotCommand: string | undefined,
 * }} EngineArguments
 */

/** @returns {EngineArguments} */
export function parseEngineArguments(/** @type {string[]} */ argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    // Future CLI releases may pass flags this stand-in has not heard of; they should not be fatal.
    strict: false,
    options: {
      version: { type: "boolean", short: "V" },
      datamodels: { type: "string", multiple: true },
      datasource: { type: "string" },
      "enabled-preview-features": { type: "string" },
      "extension-types": { type: "string" },
    },
  });
  const [first, second] = positionals;
  return {
    version: values.version === true,
    datamodelPaths: /** @type {string[]} */ (values.datamodels ?? []),
    datasource: parseDatasource(values.datasource),
    oneShotCommand: first === "cli" ? (second ?? "") : undefined,
  };
}

/** @returns {Datasource} */
function parseDatasource(/** @type {unknown} */ text) {
  if (typeof text !== "string") return {};
  const parsed = JSON.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new TypeError("--datasource must be a JSON object");
  return parsed;
}
