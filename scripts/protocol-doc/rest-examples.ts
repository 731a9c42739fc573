import { LOGIN_SIGNATURE_PREFIX, LOGIN_SIGNATURE_SALT_BYTES } from "#protocol";
import { REST_ROUTES } from "../../server/transport/http/rest-api.ts";

type NameOf<R> = R extends { method: infer M extends string; path: infer P extends string } ? `${M} ${P}` : never;
/** `POST /api/auth/login` and the like: one per route of the REST mirror. */
export type RestRouteName = NameOf<(typeof REST_ROUTES)[number]>;

export interface CurlExample {
  /** Said instead of the event's summary, where that speaks of sockets. */
  summary?: string;
  /** Where the shell variables of the command come from; Markdown. */
  before?: string;
  /** A shell snippet that runs as written in a folder holding `certs/ca.pem` (and `key.pem`, `public.pem`). */
  command: string;
}

/** The hub as the examples reach it; test/rest-docs.test.ts swaps in a test hub's address. */
export const DOC_HUB_URL = "https://127.0.0.1:8443";
const CURL = `curl --cacert certs/ca.pem -sS ${DOC_HUB_URL}`;
const BEARER = `-H "Authorization: Bearer $TOKEN"`;

const jsonFromStdin = (path: string, json: string) => `${CURL}${path} --json @- <<EOF\n${json}\nEOF`;

/**
 * One curl command per route, run in this order by test/rest-docs.test.ts against a real hub:
 * register, confirm the email, log in, use the session, log out, recover the password. The
 * commands use `--json` (curl 7.82 or later), which sends the body as `application/json`.
 */
export const curlExamples: { [R in RestRouteName]: CurlExample } = {
  "POST /api/account/register": {
    before: "`public.pem` is the public half of `key.pem` (see [The login signature](#the-login-signature)); `awk` turns its line breaks into `\\n` for JSON.",
    command: [
      `PUBLIC_KEY=$(awk '{ printf "%s\\\\n", $0 }' public.pem)`,
      jsonFromStdin("/api/account/register", '{"username": "alice", "email": "alice@example.org", "password": "violet-ember-canyon-42", "publicKey": "$PUBLIC_KEY"}'),
    ].join("\n"),
  },
  "POST /api/account/verify-email": {
    before: "`CODE` is the 6-digit code of the email (without `SMTP_URL`, the newest file in the data folder's `outbox/`).",
    command: jsonFromStdin("/api/account/verify-email", '{"username": "alice", "code": "$CODE"}'),
  },
  "POST /api/account/resend-verification": {
    command: `${CURL}/api/account/resend-verification --json '{"username": "alice"}'`,
  },
  "POST /api/auth/login": {
    command: `${CURL}/api/auth/login --json '{"username": "alice", "password": "violet-ember-canyon-42"}'`,
  },
  "POST /api/auth/prove-key": {
    before:
      "`CHALLENGE_ID` and `NONCE` are the `challengeId` and `nonce` of the login answer. The signature proves this machine's key; only then does the hub ask the paired devices (if any), and `numberMatch` in the answer is the number to show the person, who types it on the device. Without a device the answer is `devicesAsked: 0`. A client that skips this call can still log in with a typed code, but no device is asked.",
    command: [
      `SIGNATURE=$(printf '%s' "${LOGIN_SIGNATURE_PREFIX}:$CHALLENGE_ID:$NONCE" \\`,
      `  | openssl dgst -sha256 -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:${LOGIN_SIGNATURE_SALT_BYTES} -sigopt rsa_mgf1_md:sha256 -sign key.pem \\`,
      "  | openssl base64 -A)",
      jsonFromStdin("/api/auth/prove-key", '{"challengeId": "$CHALLENGE_ID", "signature": "$SIGNATURE"}'),
    ].join("\n"),
  },
  "POST /api/auth/complete": {
    before:
      "The same signature again. With a paired device, add `\"otp\"` (or `\"recoveryCode\"`) to the body, or poll this call without it: it answers `otp_required`, without using the challenge up, until the device approves.",
    command: jsonFromStdin("/api/auth/complete", '{"challengeId": "$CHALLENGE_ID", "signature": "$SIGNATURE", "clientName": "alice-laptop"}'),
  },
  "GET /api/me": {
    before: "`TOKEN` is the `token` of the `auth/complete` answer (or of a socket's `auth:complete`).",
    command: `${CURL}/api/me ${BEARER}`,
  },
  "GET /api/sessions": {
    command: `${CURL}/api/sessions ${BEARER}`,
  },
  "DELETE /api/sessions/:sessionId": {
    before: "`SESSION_ID` is the `id` of one of the listed sessions.",
    command: `${CURL}/api/sessions/$SESSION_ID -X DELETE ${BEARER}`,
  },
  "POST /api/auth/logout": {
    summary: "End the token's session; the token stops working, and sockets opened with it are disconnected.",
    command: `${CURL}/api/auth/logout -X POST ${BEARER}`,
  },
  "POST /api/password/forgot": {
    command: `${CURL}/api/password/forgot --json '{"login": "alice@example.org"}'`,
  },
  "POST /api/password/reset": {
    before: "`CODE` is the 6-digit code of the reset email. With a paired device, add `\"otp\"` (its current code) or `\"recoveryCode\"`.",
    command: jsonFromStdin("/api/password/reset", '{"username": "alice", "code": "$CODE", "newPassword": "quiet-harbour-lantern-17"}'),
  },
};
