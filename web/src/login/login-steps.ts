import type { Ack, EventInput, EventReply } from "#protocol";
import { outcome, type ShownError } from "../hub/hub-errors.ts";
import type { HubConnection } from "../hub/hub-connection.ts";
import { browserKey, keyProofFor, signChallenge } from "../keys/browser-key.ts";

// The login's three calls, each in one place: the pages never name the events themselves, so a
// change of the protocol's login (or of where the last step runs) is a change here only.

type Result<T> = { data: T; error?: undefined } | { data?: undefined; error: ShownError };

/** A login challenge opened by the password, signed by this browser's key. */
export interface SignedChallenge {
  challengeId: string;
  expiresAt: string;
  /** The account has a paired device: a second factor is needed. */
  hasDevice: boolean;
  signature: string;
  publicKey: string;
  opened: EventReply<"auth:login">;
}

/** What the hub says once the key signature holds: the devices asked, and the number to show. */
export interface ProvenKey {
  numberMatch?: string;
  devicesAsked: number;
  /** This browser's key is new to the account: the login needs a second proof. */
  newKey: boolean;
  otpLockedUntil?: string;
  otpNeedsOwnerUnlock?: true;
}

/** The second factor given at the last step (none once the device approved). */
export type SecondProof = Pick<EventInput<"auth:complete">, "otp" | "recoveryCode" | "emailCode">;

/** Step 1: the password, with a proof that this browser holds a key (the hub ignores it for a key it does not know). */
export async function openSignedChallenge(hub: HubConnection, username: string, password: string): Promise<Result<SignedChallenge>> {
  const keyProof = await keyProofFor(username);
  const started = outcome(await hub.call("auth:login", { username, password, clientName: browserClientName(), keyProof }));
  if (started.error) return started;
  const { challengeId, nonce, expiresAt, factors } = started.data;
  const key = await browserKey();
  const signature = await signChallenge(challengeId, nonce);
  return { data: { challengeId, expiresAt, hasDevice: factors.includes("otp"), signature, publicKey: key.publicKeyPem, opened: started.data } };
}

/**
 * Step 2: the key signature. Once it holds, the hub asks the paired devices and answers with the
 * number to show; `publicKey` tells it (and the devices) when this browser is new to the account.
 */
export async function proveKey(hub: HubConnection, challenge: SignedChallenge): Promise<Result<ProvenKey>> {
  const { challengeId, signature, publicKey } = challenge;
  const proven = outcome(await hub.call("auth:prove-key", { challengeId, signature, publicKey }));
  if (proven.error) return proven;
  const { numberMatch, devicesAsked, newKey, otpLockedUntil, otpNeedsOwnerUnlock } = proven.data;
  return { data: { numberMatch, devicesAsked, newKey, otpLockedUntil, otpNeedsOwnerUnlock } };
}

// The hub's browser login: auth:complete's payload over HTTPS, answered with the session in an
// HttpOnly cookie that page scripts never see (server/transport/web/browser-sessions.ts).
const WEB_LOGIN_PATH = "/api/web/login";

type CompletedLogin = Pick<EventReply<"auth:complete">, "expiresAt" | "user">;

/**
 * Step 3: the signature again with the second factor, sent over HTTPS so that the answer can set
 * the session cookie; the page's socket then reconnects to carry it.
 */
export async function completeLogin(hub: HubConnection, challenge: SignedChallenge, proof: SecondProof): Promise<Result<CompletedLogin["user"]>> {
  const { challengeId, signature, publicKey } = challenge;
  const payload: EventInput<"auth:complete"> = { challengeId, signature, publicKey, clientName: browserClientName(), ...proof };
  const done = outcome(await postJson<CompletedLogin>(WEB_LOGIN_PATH, payload));
  if (done.error) return done;
  await hub.reconnect();
  return { data: done.data.user };
}

/** A same-origin JSON POST answered with the protocol's ack shape; a network failure becomes an ack too. */
async function postJson<T>(path: string, body: unknown): Promise<Ack<T>> {
  try {
    const response = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), credentials: "same-origin" });
    return (await response.json()) as Ack<T>;
  } catch {
    return { ok: false, error: { code: "unavailable", message: "The hub could not be reached. Check the connection and try again." } };
  }
}

/** How the paired device and the session list name this login: the browser and the system. */
export function browserClientName(): string {
  const agent = navigator.userAgent;
  const browser = /Edg\//.test(agent) ? "Edge" : /Firefox\//.test(agent) ? "Firefox" : /Chrom(e|ium)\//.test(agent) ? "Chromium" : /Safari\//.test(agent) ? "Safari" : "Browser";
  const system = /Android/.test(agent) ? "Android" : /iPhone|iPad/.test(agent) ? "iOS" : /Mac OS X/.test(agent) ? "macOS" : /Windows/.test(agent) ? "Windows" : /Linux/.test(agent) ? "Linux" : "";
  return `${browser}${system ? ` on ${system}` : ""} (web)`;
}
