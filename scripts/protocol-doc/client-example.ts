// A minimal PairGate client: logs in with a password and a key, then asks who it is.
// Node.js 20+ and socket.io-client 4; run it beside key.pem and the hub's certs/ca.pem.
import { constants, sign } from "node:crypto";
import { readFileSync } from "node:fs";
import { io } from "socket.io-client";

const HUB_URL = process.env.PAIRGATE_URL ?? "https://127.0.0.1:8443";
const CA_FILE = process.env.PAIRGATE_CA ?? "certs/ca.pem";
const KEY_FILE = process.env.PAIRGATE_KEY ?? "key.pem";
const username = process.env.PAIRGATE_USER ?? "alice";
const password = process.env.PAIRGATE_PASSWORD ?? "";

type Ack<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string; retryAfterSeconds?: number } };

const socket = io(`${HUB_URL}/client`, {
  transports: ["websocket"],
  ca: readFileSync(CA_FILE, "utf8"), // trust the hub's own CA; never turn verification off
  reconnection: false,
});
socket.on("connect_error", (error: Error & { data?: { code?: string } }) => {
  console.error(`connection refused: ${error.data?.code ?? error.message}`);
  process.exit(1);
});

/** One call: emit with an ack callback; a failed ack becomes an exception. */
async function call<T>(event: string, payload: object): Promise<T> {
  const ack: Ack<T> = await socket.timeout(20_000).emitWithAck(event, payload);
  if (!ack.ok) throw new Error(`${event}: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

try {
  const { challengeId, nonce } = await call<{ challengeId: string; nonce: string }>("auth:login", { username, password });
  const signature = sign("sha256", Buffer.from(`pairgate-login:v1:${challengeId}:${nonce}`, "utf8"), {
    key: readFileSync(KEY_FILE, "utf8"),
    padding: constants.RSA_PKCS1_PSS_PADDING, // MGF1 follows the signature's hash, SHA-256
    saltLength: 32,
  }).toString("base64");
  const session = await call<{ token: string; expiresAt: string }>("auth:complete", { challengeId, signature, clientName: "my-script" });
  // This socket is authenticated now. Later connections pass `auth: { token: session.token }`.
  const me = await call<{ user: { username: string } }>("account:me", {});
  console.log(`logged in as ${me.user.username}; the session lasts until ${session.expiresAt}`);
} finally {
  socket.close();
}
