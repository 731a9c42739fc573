import { io } from "socket.io-client";
import { signChallenge, call, connectClient, expectOk, type TestAccount, type TestSocket } from "./client.ts";
import type { TestHub } from "./hub.ts";
import { rest, type RestResponse } from "./rest.ts";

/** What a browser page holds after logging in: the `Set-Cookie` header and the cookie it sends back. */
export interface BrowserLogin {
  response: RestResponse;
  setCookie: string;
  /** `__Host-pairgate-session=<token>`, as a browser sends it in `Cookie`. */
  cookie: string;
}

/** Password and signature on an anonymous socket, then the last step over HTTPS, as the web app does. */
export async function browserLogIn(hub: TestHub, account: TestAccount, origin = hub.url): Promise<BrowserLogin> {
  const socket = await connectClient(hub);
  try {
    const challenge = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
    const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
    const response = await rest(hub, "POST", "/api/web/login", { json: { challengeId: challenge.challengeId, signature, clientName: "browser" }, headers: { origin } });
    const setCookie = [response.headers["set-cookie"] ?? []].flat()[0] ?? "";
    return { response, setCookie, cookie: setCookie.split(";")[0]! };
  } finally {
    socket.disconnect();
  }
}

/** A `/client` socket as a browser page opens it: WebSocket only, with its cookie and Origin headers. */
export function connectAsBrowser(hub: TestHub, headers: { cookie?: string; origin?: string }, auth: { token?: string } = {}): TestSocket {
  const extraHeaders = Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Record<string, string>;
  return io(`${hub.url}/client`, { ca: hub.ca, transports: ["websocket"], extraHeaders, auth, reconnection: false, forceNew: true } as never);
}

/** Resolves with the socket once connected, or rejects with the connect_error. */
export function connected(socket: TestSocket): Promise<TestSocket> {
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", reject);
  });
}
