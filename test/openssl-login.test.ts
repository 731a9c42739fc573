import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { loginSignatureMessage } from "#protocol";
import { call, connectClient, expectOk, STRONG_PASSWORD } from "./support/client.ts";
import { startTestHub, type TestHub } from "./support/hub.ts";

let hub: TestHub;
const work = mkdtempSync(path.join(os.tmpdir(), "pairgate-openssl-"));
const file = (name: string) => path.join(work, name);

beforeAll(async () => {
  hub = await startTestHub();
});
afterAll(async () => {
  await hub.destroy();
  rmSync(work, { recursive: true, force: true });
});

/** What a person with nothing but openssl does: make a key, export SPKI, sign with PSS. */
function opensslSign(message: string): string {
  writeFileSync(file("message.txt"), message);
  execFileSync("openssl", [
    "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256",
    "-sign", file("key.pem"), "-out", file("signature.bin"), file("message.txt"),
  ]);
  return readFileSync(file("signature.bin")).toString("base64");
}

it("accepts a key and a login signature made by openssl", async () => {
  execFileSync("openssl", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:3072", "-out", file("key.pem")]);
  const publicKey = execFileSync("openssl", ["pkey", "-in", file("key.pem"), "-pubout"], { encoding: "utf8" });

  const socket = await connectClient(hub);
  expectOk(await call(socket, "account:register", { username: "ossl", email: "ossl@example.test", password: STRONG_PASSWORD, publicKey }));
  const challenge = expectOk(await call(socket, "auth:login", { username: "ossl", password: STRONG_PASSWORD }));
  const signature = opensslSign(loginSignatureMessage(challenge.challengeId, challenge.nonce));
  const session = expectOk(await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature }));
  expect(session.user.username).toBe("ossl");

  const authed = await connectClient(hub, { token: session.token });
  expect(expectOk(await call(authed, "account:me", {})).user.username).toBe("ossl");
  expectOk(await call(authed, "auth:logout", {}));
  socket.disconnect();
});

it("refuses an openssl signature with the wrong padding (PKCS#1 v1.5)", async () => {
  const socket = await connectClient(hub);
  const challenge = expectOk(await call(socket, "auth:login", { username: "ossl", password: STRONG_PASSWORD }));
  writeFileSync(file("message.txt"), loginSignatureMessage(challenge.challengeId, challenge.nonce));
  execFileSync("openssl", ["dgst", "-sha256", "-sign", file("key.pem"), "-out", file("signature.bin"), file("message.txt")]);
  const signature = readFileSync(file("signature.bin")).toString("base64");
  expect(await call(socket, "auth:complete", { challengeId: challenge.challengeId, signature })).toMatchObject({ ok: false, error: { code: "invalid_signature" } });
  socket.disconnect();
});
