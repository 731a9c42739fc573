import https from "node:https";

export interface HealthAnswer {
  status: number;
  body: { status: string; version: string; database: { reachable: boolean }; redis?: { reachable: boolean } };
}

/** GET /api/health over TLS, trusting only `ca`. */
export function getHealth(hubUrl: string, ca: string): Promise<HealthAnswer> {
  return new Promise((resolve, reject) => {
    https
      .get(`${hubUrl}/api/health`, { ca }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on("error", reject);
  });
}

/** Polls `check` until it returns true, or fails naming `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms`);
}
