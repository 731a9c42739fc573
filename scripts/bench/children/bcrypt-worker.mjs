// One thread of the raw bcryptjs baseline: checks a password against a hash in a loop, exactly
// as the hub's password workers do (bcrypt.compareSync), and reports how many it finished in how long.
// Plain JavaScript: worker threads start without the parent's TypeScript loader on Node 20.
import { parentPort } from "node:worker_threads";
import bcrypt from "bcryptjs";

parentPort.on("message", ({ password, hash, durationMs }) => {
  const now = () => performance.timeOrigin + performance.now();
  const startedAt = now();
  const deadline = startedAt + durationMs;
  let checks = 0;
  let lastFinishedAt = startedAt;
  while (lastFinishedAt < deadline) {
    bcrypt.compareSync(password, hash);
    checks += 1;
    lastFinishedAt = now();
  }
  parentPort.postMessage({ checks, seconds: (lastFinishedAt - startedAt) / 1000 });
});
