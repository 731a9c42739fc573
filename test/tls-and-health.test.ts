import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import https from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseFilePath } from "../server/db/database-url.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";
import { testDatabaseKind } from "./support/test-database.ts";

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(() => hub.destroy());

const certDir = () => hub.settings.certDir;
const openssl = (...args: string[]) => execFileSync("openssl", args, { encoding: "utf8" });

function getJson(url: string, ca: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) }));
      })
      .on("error", reject);
  });
}

describe("first start", () => {
  it("makes a CA and a server certificate that openssl verifies for localhost, 127.0.0.1 and ::1", () => {
    const server = path.join(certDir(), "server.pem");
    expect(openssl("verify", "-CAfile", path.join(certDir(), "ca.pem"), server)).toContain(": OK");
    const names = openssl("x509", "-in", server, "-noout", "-ext", "subjectAltName");
    expect(names).toContain("DNS:localhost");
    expect(names).toContain("IP Address:127.0.0.1");
    expect(names).toMatch(/IP Address:0:0:0:0:0:0:0:1/);
    expect(openssl("x509", "-in", path.join(certDir(), "ca.pem"), "-noout", "-ext", "basicConstraints")).toContain("CA:TRUE");
  });

  it("pairs the server key with its certificate (openssl)", () => {
    const fromKey = openssl("pkey", "-in", path.join(certDir(), "server-key.pem"), "-pubout");
    const fromCert = openssl("x509", "-in", path.join(certDir(), "server.pem"), "-noout", "-pubkey");
    expect(fromKey).toBe(fromCert);
    openssl("pkey", "-in", path.join(certDir(), "server-key.pem"), "-check", "-noout");
  });

  it("keeps private keys, the database and the data folder private", () => {
    expect(statSync(path.join(certDir(), "server-key.pem")).mode & 0o777).toBe(0o600);
    expect(statSync(path.join(certDir(), "ca-key.pem")).mode & 0o777).toBe(0o600);
    // On PostgreSQL there is no database file: the server keeps the data.
    if (testDatabaseKind() === "sqlite") expect(statSync(databaseFilePath(hub.settings.databaseUrl)).mode & 0o777).toBe(0o600);
    expect(statSync(hub.dataDir).mode & 0o777).toBe(0o700);
  });

  it("reuses its certificates on the next start", async () => {
    const before = openssl("x509", "-in", path.join(certDir(), "server.pem"), "-noout", "-fingerprint");
    const root = path.dirname(hub.dataDir);
    await hub.stop();
    hub = await startTestHub({ root });
    expect(openssl("x509", "-in", path.join(certDir(), "server.pem"), "-noout", "-fingerprint")).toBe(before);
  });
});

describe("GET /api/health", () => {
  it("reports status, version and a reachable database over TLS", async () => {
    const { status, body } = await getJson(`${hub.url}/api/health`, hub.ca);
    expect(status).toBe(200);
    expect(body).toEqual({ status: "ok", version: expect.stringMatching(/^\d+\.\d+\.\d+/), database: { reachable: true } });
  });

  it("answers unknown paths with a JSON 404", async () => {
    const { status, body } = await getJson(`${hub.url}/api/nothing-here`, hub.ca);
    expect(status).toBe(404);
    expect(body).toMatchObject({ ok: false, error: { code: "not_found" } });
  });

  it("is refused by a client that does not trust the hub's CA", async () => {
    await expect(getJson(`${hub.url}/api/health`, "")).rejects.toThrow(/self.signed|certificate/i);
  });
});
