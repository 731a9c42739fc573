import { constants, createHash, createPublicKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { io, type Socket } from "socket.io-client";
import {
  loginKeyProofMessage,
  loginSignatureMessage,
  LOGIN_SIGNATURE_SALT_BYTES,
  type Ack,
  type ClientEventName,
  type ClientToHubEvents,
  type EventInput,
  type EventReply,
  type HubToClientEvents,
} from "#protocol";
import type { TestHub } from "./hub.ts";

export type TestSocket = Socket<HubToClientEvents, ClientToHubEvents>;

/**
 * Opens a real `/client` socket over TLS, trusting only the test hub's CA; `from` is another
 * loopback address to connect from (on Linux, all of 127.0.0.0/8 is the loopback).
 */
export async function connectClient(hub: TestHub, auth: { token?: string } = {}, from?: string): Promise<TestSocket> {
  const socket: TestSocket = io(`${hub.url}/client`, { ca: hub.ca, transports: ["websocket"], auth, reconnection: false, forceNew: true, ...(from ? { localAddress: from } : {}) } as never);
  await untilConnected(socket as unknown as Socket);
  return socket;
}

/**
 * Waits for the hub to accept the socket. A connection that closes before that (a hub killed
 * mid-handshake, or one that gave up on a slow handshake) brings neither `connect` nor
 * `connect_error`, only `disconnect`: without it a test would wait forever.
 */
export function untilConnected(socket: Socket): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const closed = (reason: string) => reject(new Error(`the connection closed before the hub accepted it (${reason})`));
    socket.once("disconnect", closed);
    socket.once("connect", () => {
      socket.off("disconnect", closed);
      resolve();
    });
    socket.once("connect_error", (error) => {
      socket.off("disconnect", closed);
      reject(error);
    });
  });
}

/**
 * An anonymous connection that a whole test file shares. The hub closes a connection that sends
 * nothing within 10 s of connecting (server/transport/socket/anonymous-sockets.ts); a file whose
 * first event comes later (a first registration that is slow on a loaded machine) would then wait
 * on a closed socket. This one connects again after that close, and socket.io keeps the events
 * sent meanwhile until it is back. Closing it from the test (`disconnect()`) ends it for good.
 */
export async function connectSharedClient(hub: TestHub): Promise<TestSocket> {
  const socket = await connectClient(hub);
  socket.on("disconnect", (reason) => {
    if (reason === "io server disconnect") socket.connect();
  });
  return socket;
}

// Waits are for positive markers, so they may be long: a shared machine under load can take
// seconds to answer, and a test fails by its own assertions, not by a guess at how fast it is.
const ACK_WAIT_MS = 30_000;

/** Sends one event and waits for its ack. */
export function call<E extends ClientEventName>(socket: TestSocket, event: E, payload: EventInput<E>): Promise<Ack<EventReply<E>>> {
  return callRaw(socket as unknown as Socket, event, payload) as Promise<Ack<EventReply<E>>>;
}

/** Sends anything at all, for the bad-input tests. */
export function callRaw(socket: Socket, event: string, ...args: unknown[]): Promise<Ack<unknown>> {
  return socket.timeout(ACK_WAIT_MS).emitWithAck(event, ...args) as Promise<Ack<unknown>>;
}

export function expectOk<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`expected ok, got ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

export interface TestKeys {
  publicKeyPem: string;
  privateKey: KeyObject;
}

export function generateTestKeys(bits = 2048): TestKeys {
  const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: bits });
  return { publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString(), privateKey };
}

export function signChallenge(privateKey: KeyObject, challengeId: string, nonce: string): string {
  return sign("sha256", Buffer.from(loginSignatureMessage(challengeId, nonce)), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: LOGIN_SIGNATURE_SALT_BYTES,
  }).toString("base64");
}

function signPss(privateKey: KeyObject, message: string): string {
  return sign("sha256", Buffer.from(message), { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: LOGIN_SIGNATURE_SALT_BYTES }).toString("base64");
}

/** The `keyProof` of `auth:login`: this key, signing the username and a timestamp (now, unless given). */
export function signKeyProof(keys: TestKeys, username: string, at = new Date()): { fingerprint: string; timestamp: string; signature: string } {
  const fingerprint = createHash("sha256").update(createPublicKey(keys.publicKeyPem).export({ type: "spki", format: "der" })).digest("hex");
  const timestamp = at.toISOString();
  return { fingerprint, timestamp, signature: signPss(keys.privateKey, loginKeyProofMessage(username, timestamp)) };
}

export const STRONG_PASSWORD = "violet-ember-canyon-42";

export interface TestAccount {
  username: string;
  email: string;
  password: string;
  keys: TestKeys;
}

export function newAccount(username: string): TestAccount {
  return { username, email: `${username}@example.test`, password: STRONG_PASSWORD, keys: generateTestKeys() };
}

export async function register(hub: TestHub, account: TestAccount, from?: string): Promise<void> {
  const socket = await connectClient(hub, {}, from);
  try {
    expectOk(await call(socket, "account:register", { username: account.username, email: account.email, password: account.password, publicKey: account.keys.publicKeyPem }));
  } finally {
    socket.disconnect();
  }
}

/** Password, then signature, on one anonymous socket, which becomes authenticated. */
export async function logIn(hub: TestHub, account: TestAccount, socket?: TestSocket, from?: string): Promise<{ socket: TestSocket; token: string }> {
  const s = socket ?? (await connectClient(hub, {}, from));
  const challenge = expectOk(await call(s, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const { token } = expectOk(await call(s, "auth:complete", { challengeId: challenge.challengeId, signature }));
  return { socket: s, token };
}

/**
 * Password, then the key proof that asks the devices (auth:prove-key), on the given socket. `keys`
 * signs instead of the account's own key: a new machine's, sent along as its public key.
 */
export async function openPushedLogin(socket: TestSocket, account: TestAccount, options: { clientName?: string; keys?: TestKeys } = {}) {
  const challenge = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password, ...(options.clientName ? { clientName: options.clientName } : {}) }));
  const keys = options.keys ?? account.keys;
  const signature = signChallenge(keys.privateKey, challenge.challengeId, challenge.nonce);
  const publicKey = options.keys ? { publicKey: keys.publicKeyPem } : {};
  const proof = expectOk(await call(socket, "auth:prove-key", { challengeId: challenge.challengeId, signature, ...publicKey }));
  return { challengeId: challenge.challengeId, nonce: challenge.nonce, signature, proof, numberMatch: proof.numberMatch };
}

/** One whole login on a fresh socket with the given second proof; answers the auth:complete ack. */
export async function logInWithProof(hub: TestHub, account: TestAccount, proof: { otp?: string; recoveryCode?: string }, from?: string) {
  const socket = await connectClient(hub, {}, from);
  const challenge = expectOk(await call(socket, "auth:login", { username: account.username, password: account.password }));
  const signature = signChallenge(account.keys.privateKey, challenge.challengeId, challenge.nonce);
  const ack = await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature, ...proof });
  socket.disconnect();
  return ack;
}
