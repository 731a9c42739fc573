import { existsSync, readdirSync, readFileSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import type { IncomingHttpHeaders } from "node:http";
import { expect } from "vitest";
import type { Ack } from "#protocol";
import { signChallenge, type TestAccount } from "./client.ts";
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
  const deadline = Date.now() + 30_000;
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

/**
 * Waits until `count` emails to `to` about `subject` are in the hub's outbox. Mail that the hub
 * sends in the background (resends) may still be on its way when the request has been answered,
 * the more so on PostgreSQL, where every query is real I/O.
 */
export async function waitForOutbox(hub: TestHub, to: string, subject: string, count: number): Promise<void> {
  const outbox = path.join(hub.dataDir, "outbox");
  const deadline = Date.now() + 30_000;
  const matches = (text: string) => new RegExp(`^To: .*${escapeRegExp(to)}`, "mi").test(text) && text.includes(subject);
  for (;;) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((name) => name.endsWith(".eml")) : [];
    if (files.filter((name) => matches(readFileSync(path.join(outbox, name), "utf8"))).length >= count) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${count} outbox emails to ${to} about "${subject}"`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export const VERIFICATION_SUBJECT = "Confirm your PairGate email address";
export const RESET_SUBJECT = "Reset your PairGate password";

export const registration = (account: TestAccount) => ({ username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem });

/** Confirms the address with the code from the outbox, over REST. */
export async function verifyEmail(hub: TestHub, account: TestAccount): Promise<void> {
  const code = await outboxCode(hub, account.email, VERIFICATION_SUBJECT);
  const response = await rest(hub, "POST", "/api/account/verify-email", { json: { username: account.username, code } });
  expect(response.body, response.text).toEqual({ ok: true, data: { verified: true } });
}

/** Registers over REST and confirms the address with the emailed code. */
export async function registerVerified(hub: TestHub, account: TestAccount): Promise<void> {
  const response = await rest(hub, "POST", "/api/account/register", { json: registration(account) });
  expect(response.status, response.text).toBe(201);
  await verifyEmail(hub, account);
}

/** Password, then signature, over REST, as an external client logs in; answers the session token. */
export async function restLogIn(hub: TestHub, account: TestAccount): Promise<string> {
  const challenge = restData<{ challengeId: string; nonce: string }>(
    await rest(hub, "POST", "/api/auth/login", { json: { username: account.username, password: account.password } }),
  );
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const session = await rest(hub, "POST", "/api/auth/complete", { json: { challengeId: challenge.challengeId, signature, clientName: "rest-test" } });
  return restData<{ token: string }>(session).token;
}

/** A failed answer: this status, this code, in the ack shape. */
export function expectError(response: RestResponse, status: number, code: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toMatchObject({ ok: false, error: { code, message: expect.any(String) } });
}
