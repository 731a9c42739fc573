import { existsSync, readdirSync, readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import type { IncomingHttpHeaders } from "node:http";
import type { Ack } from "#protocol";
import type { TestHub } from "./hub.ts";

export interface RestResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The parsed JSON body (every `/api` answer is JSON). */
  body: Ack<Record<string, unknown>>;
}

export interface RestRequest {
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is, for the malformed-body tests; set the content type in `headers`. */
  raw?: string | Buffer;
  token?: string;
  headers?: Record<string, string>;
}

/** One real HTTPS request to the test hub, trusting only its CA. */
export function rest(hub: TestHub, method: string, path: string, request: RestRequest = {}): Promise<RestResponse> {
  const headers: Record<string, string> = { ...request.headers };
  let payload: string | Buffer | undefined = request.raw;
  if (request.json !== undefined) {
    payload = JSON.stringify(request.json);
    headers["content-type"] ??= "application/json";
  }
  if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
  if (payload !== undefined) headers["content-length"] = String(Buffer.byteLength(payload));
  return new Promise((resolve, reject) => {
    const outgoing = https.request(new URL(path, hub.url), { method, headers, ca: hub.ca, agent: false }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        try {
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, body: text === "" ? (undefined as never) : JSON.parse(text) });
        } catch (error) {
          reject(new Error(`${method} ${path}: not JSON (${incoming.statusCode}): ${text.slice(0, 200)}`, { cause: error }));
        }
      });
    });
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

/** The `data` of a successful answer, or a throw naming the status and code. */
export function restData<T = Record<string, unknown>>(response: RestResponse): T {
  if (!response.body?.ok) throw new Error(`expected ok, got ${response.status}: ${response.text}`);
  return response.body.data as T;
}

/**
 * The code of the newest outbox email to `to` whose subject contains `subject`, waiting for it
 * (resends and reset codes are written after the answer). The outbox is the hub's zero-setting mail.
 */
export async function outboxCode(hub: TestHub, to: string, subject: string, notIn: ReadonlySet<string> = new Set()): Promise<string> {
  const outbox = path.join(hub.dataDir, "outbox");
  const deadline = Date.now() + 10_000;
  for (;;) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith(".eml")).sort().reverse() : [];
    for (const name of files) {
      const text = readFileSync(path.join(outbox, name), "utf8");
      const code = /^code: (\d{6})$/m.exec(text)?.[1];
      if (code && !notIn.has(code) && new RegExp(`^To: .*${escapeRegExp(to)}`, "mi").test(text) && text.includes(subject)) return code;
    }
    if (Date.now() > deadline) throw new Error(`no outbox email to ${to} about "${subject}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
