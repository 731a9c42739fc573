// Connections to PostgreSQL for the stand-in engine, through @prisma/adapter-pg, with what that
// adapter does not do for the Wasm engine:
// - the engine's catalog queries return PostgreSQL's internal "char" type (OID 18), which the
//   adapter refuses ("Unsupported column type char"); such columns are read as text here;
// - the adapter runs a script by splitting it at every ";", even inside comments and strings;
//   here a script goes to the server whole, as the native engine sends it;
// - Prisma's migrations name tables without a schema, so the URL's schema is searched first.
// Connections are made from discrete fields, never from a connection string: given one, pg lets
// it override the `database` field, which is how adapter-pg's own shadow database ended up on
// the main database.

import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const CHAR_TYPE_OID = 18;
const TEXT_TYPE_OID = 25;
const DEFAULT_PORT = 5432;
// Where CREATE and DROP DATABASE run from; template1 exists even where postgres was dropped.
const MAINTENANCE_DATABASES = ["postgres", "template1"];
export const DATABASE_DOES_NOT_EXIST = "3D000";

/**
 * @typedef {{ host: string, port: number, user?: string, password?: string, database: string,
 *             ssl?: boolean | { rejectUnauthorized: boolean } }} ConnectionFields
 */

/** `postgresql://user:password@host:port/database?schema=s&sslmode=m` → discrete pg fields. */
export function postgresConnectionFields(/** @type {string} */ url) {
  const parsed = new URL(url);
  const query = parsed.searchParams;
  /** @type {ConnectionFields} */
  const fields = {
    // `?host=/var/run/postgresql` names a Unix socket folder, as libpq allows.
    host: query.get("host") ?? (decodeURIComponent(parsed.hostname).replace(/^\[(.*)\]$/, "$1") || "localhost"),
    port: Number(parsed.port || query.get("port") || DEFAULT_PORT),
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || decodeURIComponent(parsed.username) || "postgres",
  };
  const user = decodeURIComponent(parsed.username) || query.get("user");
  if (user) fields.user = user;
  const password = parsed.password ? decodeURIComponent(parsed.password) : query.get("password");
  if (password) fields.password = password;
  const ssl = sslFor(query.get("sslmode"));
  if (ssl !== undefined) fields.ssl = ssl;
  return fields;
}

function sslFor(/** @type {string | null} */ mode) {
  if (mode === null || mode === "disable" || mode === "prefer" || mode === "allow") return undefined;
  // Stricter than libpq, whose `require` encrypts without checking the server: PairGate never
  // switches TLS verification off, so every mode that asks for TLS verifies the certificate.
  return true;
}

/** An adapter-pg connection over its own pool, reading "char" columns as text, running scripts whole. */
export async function connectAdapter(/** @type {ConnectionFields} */ fields, /** @type {string} */ schema) {
  const options = `-c search_path=${quoteIdentifier(schema)}`;
  const pool = new pg.Pool({ ...fields, options, Client: CharAsTextClient, max: 2 });
  /** @type {any} */
  const connection = await new PrismaPg(pool, { schema, disposeExternalPool: true }).connect();
  connection.executeScript = async (/** @type {string} */ script) => {
    try {
      // The simple query protocol runs every statement of the script, in one implicit transaction.
      await pool.query(script);
    } catch (error) {
      connection.onError(error);
    }
  };
  return connection;
}

/** Runs `after` once the connection's own dispose has finished, even if it failed. */
export function afterDispose(/** @type {any} */ connection, /** @type {() => Promise<void>} */ after) {
  const dispose = connection.dispose.bind(connection);
  let disposing;
  connection.dispose = () => {
    disposing ??= (async () => {
      try {
        await dispose();
      } finally {
        await after();
      }
    })();
    return disposing;
  };
  return connection;
}

/** A pg client that reports "char" (OID 18) columns as text, which adapter-pg can read. */
class CharAsTextClient extends pg.Client {
  /** pg-pool calls this with a callback; adapter-pg's pool queries go through it. */
  query(/** @type {any} */ config, /** @type {any} */ values, /** @type {any} */ callback) {
    if (typeof values === "function") [values, callback] = [undefined, values];
    if (typeof config?.submit === "function") return super.query(config, values, callback);
    if (typeof callback === "function") {
      return super.query(config, values, (/** @type {any} */ error, /** @type {any} */ result) => callback(error, error ? result : relabelCharColumns(result)));
    }
    return /** @type {Promise<any>} */ (super.query(config, values)).then(relabelCharColumns);
  }
}

function relabelCharColumns(/** @type {any} */ result) {
  for (const part of Array.isArray(result) ? result : [result]) {
    for (const field of part?.fields ?? []) {
      if (field.dataTypeID === CHAR_TYPE_OID) field.dataTypeID = TEXT_TYPE_OID;
    }
  }
  return result;
}

/** Runs one statement from a maintenance database of the same server (CREATE/DROP DATABASE). */
export async function onServer(/** @type {ConnectionFields} */ fields, /** @type {string} */ sql, /** @type {unknown[]} */ values = []) {
  let lastError;
  for (const database of MAINTENANCE_DATABASES) {
    const client = new pg.Client({ ...fields, database });
    try {
      await client.connect();
    } catch (error) {
      lastError = error;
      await client.end().catch(() => {});
      if (/** @type {any} */ (error)?.code === DATABASE_DOES_NOT_EXIST) continue;
      throw error;
    }
    try {
      return await client.query(sql, values);
    } finally {
      await client.end();
    }
  }
  throw lastError;
}

/** FORCE ends other sessions first (PostgreSQL 13+), so a pool that is still closing cannot block it. */
export function dropDatabase(/** @type {ConnectionFields} */ fields, /** @type {string} */ database) {
  return onServer(fields, `DROP DATABASE IF EXISTS ${quoteIdentifier(database)} WITH (FORCE)`);
}

export async function emptySchema(/** @type {ConnectionFields} */ fields, /** @type {string} */ schema) {
  const client = new pg.Client(fields);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdentifier(schema)} CASCADE; CREATE SCHEMA ${quoteIdentifier(schema)}`);
  } finally {
    await client.end();
  }
}

export function quoteIdentifier(/** @type {string} */ name) {
  return `"${name.replaceAll('"', '""')}"`;
}
