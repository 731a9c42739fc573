// The baseline server: Socket.IO of the same version as the hub, over HTTPS with the same
// certificate, with default options and one acked echo event, listening with the hub's accept
// queue; nothing else. Run by scripts/bench only.
import { readFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { LISTEN_BACKLOG } from "../../../server/listen-backlog.ts";
import { announce, answerRequests, settledMemory } from "../harness/child-ipc.ts";

const [certFile, keyFile, port = "0"] = process.argv.slice(2);
if (!certFile || !keyFile) throw new TypeError("usage: bare-server-entry.ts CERT_FILE KEY_FILE [PORT]");

const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) });
const io = new Server(server, { serveClient: false });
io.on("connection", (socket) => {
  socket.on("echo", (payload: unknown, ack: (reply: unknown) => void) => ack({ ok: true, data: payload }));
});
// Both meet a storm with the same kernel settings.
await new Promise<void>((resolve) => server.listen({ port: Number(port), host: "127.0.0.1", backlog: LISTEN_BACKLOG }, resolve));

// As the hub does on SIGTERM: close every socket and stop listening, then leave.
process.once("SIGTERM", () => void io.close(() => process.exit(0)));

answerRequests({
  memory: () => settledMemory(),
  sockets: () => ({ client: 0, device: 0, engine: io.engine.clientsCount, root: io.of("/").sockets.size }),
});
announce("ready", { url: `https://127.0.0.1:${(server.address() as AddressInfo).port}` });
