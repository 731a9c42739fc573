// The baseline for the hub's time to healthy: express and Socket.IO of the hub's versions over
// HTTPS with the hub's certificate, answering GET /api/health; nothing else. Plain JavaScript,
// so that no TypeScript loader is counted in the baseline. Run by scripts/bench/cold-start/ only.
import { readFileSync } from "node:fs";
import https from "node:https";
import express from "express";
import { Server } from "socket.io";

const [certFile, keyFile, port] = process.argv.slice(2);
const app = express();
app.get("/api/health", (_request, response) => response.json({ status: "ok" }));
const server = https.createServer({ cert: readFileSync(certFile), key: readFileSync(keyFile) }, app);
new Server(server, { serveClient: false });
server.listen(Number(port), "127.0.0.1");
process.once("SIGTERM", () => server.close(() => process.exit(0)));
