/**
 * Example event script: watch a PairGate account live. Connects to /client with a session token
 * and prints every push the hub sends about the account, one JSON line each:
 * {"event": "security:notice", "payload": {...}}, and likewise device:bound, session:revoked,
 * challenge:approved and challenge:denied. (device:bound reaches only the session that made the
 * binding code, and challenge:approved/denied only the socket that started that login.)
 *
 *   npx tsx scripts/events/watch-account.ts --token-file session.token
 *   PAIRGATE_TOKEN=... npx tsx scripts/events/watch-account.ts --count 1 --timeout 60
 *
 * The token (from login-with-otp.ts --token-file, or PAIRGATE_TOKEN) is never printed.
 * Exit code 0 after --count events or when the session ends (session:revoked), or when --timeout
 * passes with no --count; 1 when the hub refuses the token, the connection drops, or --timeout
 * passes before --count events.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { io, type Socket } from "socket.io-client";
import { clientPushes, type ClientPushName, type ClientToHubEvents, type HubToClientEvents } from "#protocol";

const USAGE = `usage: watch-account.ts (--token-file F | PAIRGATE_TOKEN=...) [--count N] [--timeout S] [--hub URL] [--ca FILE]
needs: a live session token of the account to watch, e.g. the --token-file of login-with-otp.ts`;
const WATCHED: ClientPushName[] = ["security:notice", "device:bound", "session:revoked", "challenge:approved", "challenge:denied"];

/** Resolves with the exit code once the watch is over. */
function watch(socket: Socket<HubToClientEvents, ClientToHubEvents>, count: number | undefined): Promise<number> {
  let seen = 0;
  let sessionEnded = false;
  return new Promise((finish) => {
    for (const event of WATCHED) {
      // Listening through the protocol's table: each push is checked against its own schema.
      socket.on(event, (payload: unknown) => {
        const parsed = clientPushes[event].payload.safeParse(payload);
        if (!parsed.success) return console.error(`ignored a malformed ${event} push: ${parsed.error.issues[0]?.message}`);
        console.log(JSON.stringify({ event, payload: parsed.data }));
        if (event === "session:revoked") sessionEnded = true;
        if (++seen === count) finish(0);
      });
    }
    socket.on("connect", () => console.error("watching; stop with Ctrl-C"));
    socket.on("connect_error", (error: Error & { data?: { code?: string }; description?: { error?: Error } }) => {
      const code = error.data?.code ? `${error.data.code}: ` : "";
      console.error(`watch-account: cannot connect: ${code}${error.description?.error?.message ?? error.message}`);
      finish(1);
    });
    socket.on("disconnect", (reason) => {
      if (sessionEnded) console.error("the session has ended; nothing more to watch");
      else console.error(`watch-account: disconnected (${reason})`);
      finish(sessionEnded ? 0 : 1);
    });
  });
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      hub: { type: "string", default: process.env.PAIRGATE_HUB ?? "https://127.0.0.1:8443" },
      ca: { type: "string", default: process.env.PAIRGATE_CA ?? "certs/ca.pem" },
      "token-file": { type: "string" },
      count: { type: "string" },
      timeout: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const token = values["token-file"] ? readFileSync(values["token-file"], "utf8").trim() : process.env.PAIRGATE_TOKEN;
  if (!token) throw new Error(USAGE);
  const count = values.count === undefined ? undefined : Number(values.count);
  const timeoutSeconds = values.timeout === undefined ? undefined : Number(values.timeout);
  if (count !== undefined && !(Number.isInteger(count) && count > 0)) throw new Error("--count must be a whole number above 0");
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0)) throw new Error("--timeout must be a number of seconds above 0");

  const socket: Socket<HubToClientEvents, ClientToHubEvents> = io(`${values.hub}/client`, {
    ca: readFileSync(values.ca, "utf8"), // trust this CA file; certificate checks stay on
    transports: ["websocket"],
    reconnection: false,
    auth: { token },
  });
  const timedOut = new Promise<number>((finish) => {
    if (timeoutSeconds === undefined) return;
    setTimeout(() => {
      if (count !== undefined) console.error(`watch-account: fewer than ${count} events within ${timeoutSeconds} s`);
      finish(count === undefined ? 0 : 1);
    }, timeoutSeconds * 1000).unref();
  });
  return Promise.race([watch(socket, count), timedOut]);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`watch-account: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
