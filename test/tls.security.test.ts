import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
let dataRoot: string;
beforeAll(async () => {
  // A data folder someone made readable by everyone before the first start.
  dataRoot = mkdtempSync(path.join(os.tmpdir(), "pairgate-open-"));
  mkdirSync(path.join(dataRoot, "data"), { mode: 0o755 });
  chmodSync(path.join(dataRoot, "data"), 0o755);
  hub = await startTestHub({ root: dataRoot });
});
afterAll(async () => {
  await hub.destroy();
  rmSync(dataRoot, { recursive: true, force: true });
});

/**
 * One TLS handshake by openssl, offering only what the arguments allow; what it negotiated, or
 * null. Asynchronous, since the hub answers from this same process.
 */
async function handshake(...offer: string[]): Promise<{ protocol: string; cipher: string } | null> {
  const { port } = new URL(hub.url);
  const child = spawn("openssl", ["s_client", "-connect", `127.0.0.1:${port}`, "-CAfile", hub.caFile, "-brief", ...offer], { stdio: ["pipe", "pipe", "pipe"] });
  let text = "";
  child.stdout.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
  child.stdin.end();
  await new Promise((resolve) => child.once("close", resolve));
  const protocol = /Protocol version: (\S+)/.exec(text)?.[1];
  const cipher = /Ciphersuite: (\S+)/.exec(text)?.[1];
  return protocol && cipher ? { protocol, cipher } : null;
}

describe("TLS offers only forward-secret AEAD suites", () => {
  it.each(["AES128-SHA", "AES256-SHA", "AES128-GCM-SHA256", "ECDHE-RSA-AES128-SHA", "ECDHE-RSA-AES256-SHA384"])(
    "refuses a TLS 1.2 client that offers only %s (RSA key exchange or CBC)",
    async (cipher) => {
      expect(await handshake("-tls1_2", "-cipher", cipher)).toBeNull();
    },
  );

  it.each(["ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-RSA-CHACHA20-POLY1305"])("accepts a TLS 1.2 client offering %s", async (cipher) => {
    expect(await handshake("-tls1_2", "-cipher", cipher)).toEqual({ protocol: "TLSv1.2", cipher });
  });

  it("refuses TLS 1.1", async () => {
    expect(await handshake("-tls1_1", "-cipher", "ALL:@SECLEVEL=0")).toBeNull();
  });

  it("prefers TLS 1.3 when the client offers it", async () => {
    expect((await handshake())?.protocol).toBe("TLSv1.3");
  });

  it("prefers an AEAD suite to CBC when a TLS 1.2 client offers both", async () => {
    expect((await handshake("-tls1_2", "-cipher", "AES128-SHA:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384"))?.cipher).toBe("ECDHE-RSA-AES256-GCM-SHA384");
  });
});

describe("the data folder", () => {
  it("is made private (0700) when it was open to other users, and the hub says so", () => {
    expect(statSync(hub.dataDir).mode & 0o777).toBe(0o700);
    expect(hub.logs.join("")).toContain("the data folder was open to other users; it is now private (0700)");
  });
});
