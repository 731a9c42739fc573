/**
 * Example event script: log in to a PairGate hub with a password, the account's RSA key and the
 * paired device's current code (auth:login, then auth:complete with a key signature and the OTP).
 *
 *   printf '%s\n' "$PASSWORD" | npx tsx scripts/events/login-with-otp.ts \
 *     --username alice --key private-key.pem --otp 123456 --token-file session.token
 *
 * The password is the first line of stdin, or PAIRGATE_PASSWORD. The key is an unencrypted PEM
 * private key (PKCS#8 or PKCS#1). Prints {"username", "sessionExpiresAt"}; the session token goes
 * only to --token-file (mode 0600), never to the screen. Exit code 0 on success, 1 on any failure.
 */
import { constants, createPrivateKey, sign } from "node:crypto";
import { readFileSync, renameSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { io, type Socket } from "socket.io-client";
import { LOGIN_SIGNATURE_SALT_BYTES, loginSignatureMessage, type Ack, type ClientToHubEvents, type HubToClientEvents } from "#protocol";

const USAGE = `usage: login-with-otp.ts --username U --key private.pem --otp CODE [--token-file F] [--hub URL] [--ca FILE]
needs: an account on the hub with a confirmed email address, the RSA private key whose public key
it registered, and a paired device whose next code goes in --otp (the terminal client and
authenticator make these); the password on stdin or in PAIRGATE_PASSWORD`;
const CALL_TIMEOUT_MS = 20_000; // the hub checks the password with bcrypt, which can queue
const CLIENT_NAME = "login-with-otp.ts"; // shown on the device and in session lists

const OPTIONS = {
  options: {
    hub: { type: "string", default: process.env.PAIRGATE_HUB ?? "https://127.0.0.1:8443" },
    ca: { type: "string", default: process.env.PAIRGATE_CA ?? "certs/ca.pem" },
    username: { type: "string" },
    key: { type: "string" },
    otp: { type: "string" },
    "token-file": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
} as const;

/** The password from PAIRGATE_PASSWORD, else the first line of stdin (never a terminal: it would echo). */
async function readPassword(): Promise<string> {
  if (process.env.PAIRGATE_PASSWORD) return process.env.PAIRGATE_PASSWORD;
  if (process.stdin.isTTY) throw new Error("pipe the password on stdin or set PAIRGATE_PASSWORD");
  for await (const line of createInterface({ input: process.stdin })) return line;
  throw new Error("no password on stdin");
}

function connect(hub: string, ca: string): Promise<Socket<HubToClientEvents, ClientToHubEvents>> {
  const socket: Socket<HubToClientEvents, ClientToHubEvents> = io(`${hub}/client`, {
    ca, // trust this CA file; certificate checks stay on
    transports: ["websocket"],
    reconnection: false,
    ackTimeout: CALL_TIMEOUT_MS,
  });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error: Error & { description?: { error?: Error } }) =>
      reject(new Error(`cannot connect to ${hub}: ${error.description?.error?.message ?? error.message}`)),
    );
  });
}

/** The data of a successful ack; a refusal becomes an error naming the protocol's error code. */
function dataOf<T>(step: string, ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`${step} refused: ${ack.error.code}: ${ack.error.message}`);
  return ack.data;
}

/** Through a temporary file and a rename, so the token file is never half-written or world-readable. */
function writePrivateFile(path: string, content: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, content, { mode: 0o600, flag: "wx" });
  renameSync(temporary, path);
}

async function main(): Promise<void> {
  const { values } = parseArgs(OPTIONS);
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const { username, key: keyFile, otp } = values;
  if (!username || !keyFile || !otp) throw new Error(USAGE);
  const key = createPrivateKey(readFileSync(keyFile));
  const password = await readPassword();
  const socket = await connect(values.hub, readFileSync(values.ca, "utf8"));

  const login = await socket.emitWithAck("auth:login", { username, password, clientName: CLIENT_NAME });
  const { challengeId, nonce } = dataOf("auth:login", login);
  // RSASSA-PSS, SHA-256 (MGF1 too), 32-byte salt, over the exact UTF-8 bytes the protocol names.
  const signature = sign("sha256", Buffer.from(loginSignatureMessage(challengeId, nonce), "utf8"), {
    key,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: LOGIN_SIGNATURE_SALT_BYTES,
  }).toString("base64");
  const complete = await socket.emitWithAck("auth:complete", { challengeId, signature, otp, clientName: CLIENT_NAME });
  const session = dataOf("auth:complete", complete);

  if (values["token-file"]) writePrivateFile(values["token-file"], `${session.token}\n`);
  else console.error("no --token-file given: the session token was not kept");
  console.log(JSON.stringify({ username: session.user.username, sessionExpiresAt: session.expiresAt }));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`login-with-otp: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
